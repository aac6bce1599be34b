//! Small formatting helpers shared by the app's screens.

/// Bytes in a short human form ("3.2 MB"). Integer arithmetic only: float formatting would
/// add kilobytes of code to the app for one line of text.
pub fn human_bytes(n: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut tenths = (n.max(0.0) * 10.0) as u64;
    let mut u = 0;
    while tenths >= 10_000 && u < UNITS.len() - 1 {
        tenths /= 1000;
        u += 1;
    }
    if u == 0 {
        format!("{} {}", tenths / 10, UNITS[u])
    } else {
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn bytes_read_naturally() {
        assert_eq!(human_bytes(0.0), "0 B");
        assert_eq!(human_bytes(999.0), "999 B");
        assert_eq!(human_bytes(1000.0), "1.0 KB");
        assert_eq!(human_bytes(3_250_000.0), "3.2 MB");
        assert_eq!(human_bytes(59_000_000_000.0), "59.0 GB");
        assert_eq!(human_bytes(-5.0), "0 B");
    }
}
