//! Every string the app shows, in English and Spanish, behind one typed table.
//!
//! A missing translation is a compile error (each language is a full `Messages` value), and the
//! chosen language persists on the device. Toolkit content itself is in English for now.

use commontable_core::toolkit::{Function, Kind};
use leptos::prelude::*;

pub mod checklists;
pub mod partners;

/// A language the interface speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English
    En,
    /// Español
    Es,
}

impl Lang {
    /// Every language, as offered in the switch.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// BCP 47 code, used for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language named by a code, if known.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| code.starts_with(l.code()))
    }

    /// The language's own name.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// The strings of this language.
    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
        }
    }
}

/// The interface strings of one language.
pub struct Messages {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_toolkit: &'static str,
    pub nav_saved: &'static str,
    pub nav_device: &'static str,
    pub offline: &'static str,
    pub offline_hint: &'static str,
    pub update_ready: &'static str,
    pub update_reload: &'static str,
    pub loading: &'static str,
    pub storage_failed: &'static str,
    pub toolkit_heading: &'static str,
    pub toolkit_intro: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub filter_function: &'static str,
    pub all_functions: &'static str,
    pub filter_kind: &'static str,
    pub all_kinds: &'static str,
    pub result_count: fn(usize) -> String,
    pub no_results: &'static str,
    pub clear_filters: &'static str,
    pub content_in_english: &'static str,
    pub applies_to: &'static str,
    pub communities: &'static str,
    pub source: &'static str,
    pub related: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub save_failed: &'static str,
    pub back_to_toolkit: &'static str,
    pub entry_missing: &'static str,
    pub saved_heading: &'static str,
    pub saved_empty: &'static str,
    pub device_heading: &'static str,
    pub language: &'static str,
    pub storage_heading: &'static str,
    pub storage_persistent: &'static str,
    pub storage_not_persistent: &'static str,
    pub storage_ask_again: &'static str,
    pub storage_use: fn(&str, &str) -> String,
    pub storage_unknown: &'static str,
    pub storage_checking: &'static str,
    pub app_version: &'static str,
    pub offline_ready: &'static str,
    pub not_found: &'static str,
    pub nav_sync: &'static str,
    pub sync_syncing: fn(u64) -> String,
    pub sync_never: &'static str,
    pub sync_ago: fn(u64) -> String,
    pub sync_attention: &'static str,
    pub sync_pending: fn(u64) -> String,
    pub sync_heading: &'static str,
    pub sync_now: &'static str,
    pub sync_server_label: &'static str,
    pub sync_server_help: &'static str,
    pub sync_server_save: &'static str,
    pub sync_server_saved: &'static str,
    pub sync_server_invalid: &'static str,
    pub sync_history: &'static str,
    pub sync_history_empty: &'static str,
    pub sync_ok_line: fn(u64, u64) -> String,
    pub sync_failed_line: &'static str,
    pub unsynced_warning: &'static str,
    pub backup_heading: &'static str,
    pub backup_help: &'static str,
    pub backup_export: &'static str,
    pub backup_import_label: &'static str,
    pub backup_imported: fn(usize) -> String,
    pub backup_failed: &'static str,
    pub conflicts_heading: &'static str,
    pub conflicts_none: &'static str,
    pub conflicts_count: fn(usize) -> String,
    pub conflict_intro: &'static str,
    pub conflict_field: &'static str,
    pub conflict_version: fn(usize) -> String,
    pub conflict_current: &'static str,
    pub conflict_save: &'static str,
    pub conflict_saved: &'static str,
    pub conflict_gone: &'static str,
    pub resolve: &'static str,
    pub edit: &'static str,
    pub new_entry: &'static str,
    pub save_changes: &'static str,
    pub cancel: &'static str,
    pub delete_entry: &'static str,
    pub confirm_delete: &'static str,
    pub field_title: &'static str,
    pub field_slug: &'static str,
    pub field_summary: &'static str,
    pub field_body: &'static str,
    pub field_kind: &'static str,
    pub field_functions: &'static str,
    pub field_communities: &'static str,
    pub field_source: &'static str,
    pub editor_fix_fields: &'static str,
    pub editor_conflict: &'static str,
    pub editor_slug_taken: &'static str,
    pub editor_slug_invalid: &'static str,
    pub kind_name: fn(Kind) -> &'static str,
    pub function_name: fn(Function) -> &'static str,
    /// The partner directory's strings.
    pub p: &'static partners::PartnerText,
    /// The checklists' strings.
    pub c: &'static checklists::ChecklistText,
}

impl Messages {
    /// Government functions as one comma-separated line.
    pub fn functions_text(&self, functions: &[Function]) -> String {
        functions
            .iter()
            .map(|f| (self.function_name)(*f))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// English.
pub static EN: Messages = Messages {
    app_name: "Common Table",
    skip_to_content: "Skip to content",
    nav_label: "Main",
    nav_toolkit: "Toolkit",
    nav_saved: "Saved",
    nav_device: "Device",
    offline: "Offline",
    offline_hint: "You are offline. Everything on this device still works.",
    update_ready: "A new version is ready.",
    update_reload: "Reload",
    loading: "Opening the library on this device…",
    storage_failed: "This device could not open its storage",
    toolkit_heading: "Toolkit",
    toolkit_intro: "Practices and case studies for bringing equity into day-to-day government.",
    search_label: "Search the toolkit",
    search_placeholder: "Try “partnership” or “budget”",
    filter_function: "Government function",
    all_functions: "All functions",
    filter_kind: "Kind",
    all_kinds: "All kinds",
    result_count: |n| if n == 1 { "1 entry".into() } else { format!("{n} entries") },
    no_results: "Nothing matches. Try fewer or shorter words, or clear the filters.",
    clear_filters: "Clear search and filters",
    content_in_english: "Toolkit entries are written in English.",
    applies_to: "Government functions",
    communities: "Where it comes from",
    source: "Source",
    related: "Related entries",
    save: "Save",
    saved: "Saved",
    save_failed: "Could not save on this device",
    back_to_toolkit: "Back to the toolkit",
    entry_missing: "This entry is not on this device.",
    saved_heading: "Saved entries",
    saved_empty: "Nothing saved yet. Tap “Save” on any entry to keep it here; saved entries work offline.",
    device_heading: "This device",
    language: "Language",
    storage_heading: "Storage",
    storage_persistent: "Storage is persistent: the browser will not clear it to free up space.",
    storage_not_persistent: "Storage is not persistent: the browser may clear it when space runs low. Installing the app to the home screen helps.",
    storage_ask_again: "Ask for persistent storage",
    storage_use: |used, quota| format!("Using {used} of {quota} available."),
    storage_unknown: "This browser does not report how much storage is used.",
    storage_checking: "Checking storage…",
    app_version: "App version",
    offline_ready: "After one visit with a connection, the app opens and works with no network.",
    not_found: "There is no page at this address.",
    nav_sync: "Sync",
    sync_syncing: |n| if n == 0 { "Syncing…".into() } else { format!("Syncing… {n}") },
    sync_never: "Not synced yet",
    sync_ago: |m| match m {
        0 => "Synced just now".into(),
        1..=59 => format!("Synced {m} min ago"),
        60..=1439 => format!("Synced {} h ago", m / 60),
        _ => format!("Synced {} days ago", m / 1440),
    },
    sync_attention: "Sync needs attention",
    sync_pending: |n| if n == 1 { "1 change not on the server yet".into() } else { format!("{n} changes not on the server yet") },
    sync_heading: "Sync",
    sync_now: "Sync now",
    sync_server_label: "Sync server address",
    sync_server_help: "This app's own server by default. Any CouchDB-compatible server works, such as a region's Apache CouchDB cluster.",
    sync_server_save: "Save address",
    sync_server_saved: "Saved. The next sync uses this address.",
    sync_server_invalid: "Enter a full address starting with http:// or https://, without a user name",
    sync_history: "Recent syncs",
    sync_history_empty: "No sync attempts yet.",
    sync_ok_line: |pulled, pushed| format!("Received {pulled}, sent {pushed}"),
    sync_failed_line: "Failed",
    unsynced_warning: "Some changes on this device have not reached the server for more than a day. Connect to a network and sync, or save a backup file.",
    backup_heading: "Backup",
    backup_help: "A backup file holds every document on this device with its whole history. Importing it adds what is missing and never removes anything.",
    backup_export: "Save a backup file",
    backup_import_label: "Import a backup file",
    backup_imported: |n| format!("Imported: {n} documents gained revisions."),
    backup_failed: "This file could not be imported",
    conflicts_heading: "Conflicts",
    conflicts_none: "No conflicts: every document has one current version.",
    conflicts_count: |n| if n == 1 { "1 document was changed in two places at once.".into() } else { format!("{n} documents were changed in two places at once.") },
    conflict_intro: "This was changed on two devices at once. For each field that differs, choose the version to keep. Nothing is discarded until you save.",
    conflict_field: "Field",
    conflict_version: |i| format!("Version {}", i + 1),
    conflict_current: "shown now",
    conflict_save: "Keep this combination",
    conflict_saved: "Resolved. The other devices get the result at their next sync.",
    conflict_gone: "This conflict has already been resolved.",
    resolve: "Resolve",
    edit: "Edit",
    new_entry: "New entry",
    save_changes: "Save",
    cancel: "Cancel",
    delete_entry: "Delete entry",
    confirm_delete: "Delete this entry? It disappears from every device after their next sync.",
    field_title: "Title",
    field_slug: "Short name (used in the address; letters, digits and dashes)",
    field_summary: "Summary",
    field_body: "Text (Markdown)",
    field_kind: "Kind",
    field_functions: "Government functions",
    field_communities: "Where it comes from (separate with ;)",
    field_source: "Source",
    editor_fix_fields: "Please correct the field marked below.",
    editor_conflict: "This entry was changed elsewhere since you opened it. Your text is still here: copy it, reload, and apply it again.",
    editor_slug_taken: "An entry with this short name already exists",
    editor_slug_invalid: "Use lowercase letters, digits and dashes only",
    kind_name: |k| match k {
        Kind::Practice => "Practice",
        Kind::CaseStudy => "Case study",
        Kind::Guide => "Guide",
    },
    function_name: |f| match f {
        Function::ServiceDelivery => "Service delivery",
        Function::ExternalEngagement => "External engagement",
        Function::Partnerships => "Partnerships",
        Function::PerformanceManagement => "Performance management",
        Function::InternalCommunications => "Internal communications",
        Function::HumanResources => "Human resources",
        Function::FinancialManagement => "Financial management",
    },
    p: &partners::EN,
    c: &checklists::EN,
};

/// Español.
pub static ES: Messages = Messages {
    app_name: "Common Table",
    skip_to_content: "Saltar al contenido",
    nav_label: "Principal",
    nav_toolkit: "Recursos",
    nav_saved: "Guardados",
    nav_device: "Dispositivo",
    offline: "Sin conexión",
    offline_hint: "No hay conexión. Todo lo que está en este dispositivo sigue funcionando.",
    update_ready: "Hay una versión nueva lista.",
    update_reload: "Recargar",
    loading: "Abriendo la biblioteca de este dispositivo…",
    storage_failed: "Este dispositivo no pudo abrir su almacenamiento",
    toolkit_heading: "Recursos",
    toolkit_intro: "Prácticas y estudios de caso para llevar la equidad al trabajo diario del gobierno.",
    search_label: "Buscar en los recursos",
    search_placeholder: "Pruebe “partnership” o “budget”",
    filter_function: "Función de gobierno",
    all_functions: "Todas las funciones",
    filter_kind: "Tipo",
    all_kinds: "Todos los tipos",
    result_count: |n| if n == 1 { "1 ficha".into() } else { format!("{n} fichas") },
    no_results: "No hay resultados. Pruebe con menos palabras o más cortas, o quite los filtros.",
    clear_filters: "Quitar búsqueda y filtros",
    content_in_english: "Las fichas de recursos están escritas en inglés.",
    applies_to: "Funciones de gobierno",
    communities: "De dónde viene",
    source: "Fuente",
    related: "Fichas relacionadas",
    save: "Guardar",
    saved: "Guardada",
    save_failed: "No se pudo guardar en este dispositivo",
    back_to_toolkit: "Volver a los recursos",
    entry_missing: "Esta ficha no está en este dispositivo.",
    saved_heading: "Fichas guardadas",
    saved_empty: "Todavía no hay nada guardado. Toque “Guardar” en cualquier ficha para tenerla aquí; funcionan sin conexión.",
    device_heading: "Este dispositivo",
    language: "Idioma",
    storage_heading: "Almacenamiento",
    storage_persistent: "El almacenamiento es persistente: el navegador no lo borrará para liberar espacio.",
    storage_not_persistent: "El almacenamiento no es persistente: el navegador podría borrarlo si falta espacio. Instalar la aplicación en la pantalla de inicio ayuda.",
    storage_ask_again: "Pedir almacenamiento persistente",
    storage_use: |used, quota| format!("En uso {used} de {quota} disponibles."),
    storage_unknown: "Este navegador no informa cuánto almacenamiento se usa.",
    storage_checking: "Revisando el almacenamiento…",
    app_version: "Versión de la aplicación",
    offline_ready: "Después de una visita con conexión, la aplicación abre y funciona sin red.",
    not_found: "No hay ninguna página en esta dirección.",
    nav_sync: "Sincronizar",
    sync_syncing: |n| if n == 0 { "Sincronizando…".into() } else { format!("Sincronizando… {n}") },
    sync_never: "Aún sin sincronizar",
    sync_ago: |m| match m {
        0 => "Sincronizado ahora".into(),
        1..=59 => format!("Sincronizado hace {m} min"),
        60..=1439 => format!("Sincronizado hace {} h", m / 60),
        _ => format!("Sincronizado hace {} días", m / 1440),
    },
    sync_attention: "La sincronización necesita atención",
    sync_pending: |n| if n == 1 { "1 cambio aún no está en el servidor".into() } else { format!("{n} cambios aún no están en el servidor") },
    sync_heading: "Sincronizar",
    sync_now: "Sincronizar ahora",
    sync_server_label: "Dirección del servidor de sincronización",
    sync_server_help: "Por defecto, el servidor de esta aplicación. Sirve cualquier servidor compatible con CouchDB, como un clúster regional de Apache CouchDB.",
    sync_server_save: "Guardar dirección",
    sync_server_saved: "Guardada. La próxima sincronización usará esta dirección.",
    sync_server_invalid: "Escriba una dirección completa que empiece con http:// o https://, sin nombre de usuario",
    sync_history: "Sincronizaciones recientes",
    sync_history_empty: "Todavía no hubo intentos de sincronización.",
    sync_ok_line: |pulled, pushed| format!("Recibidos {pulled}, enviados {pushed}"),
    sync_failed_line: "Falló",
    unsynced_warning: "Hay cambios en este dispositivo que llevan más de un día sin llegar al servidor. Conéctese a una red y sincronice, o guarde un archivo de respaldo.",
    backup_heading: "Respaldo",
    backup_help: "Un archivo de respaldo guarda todos los documentos de este dispositivo con su historia completa. Importarlo agrega lo que falta y nunca borra nada.",
    backup_export: "Guardar un archivo de respaldo",
    backup_import_label: "Importar un archivo de respaldo",
    backup_imported: |n| format!("Importado: {n} documentos recibieron revisiones."),
    backup_failed: "No se pudo importar este archivo",
    conflicts_heading: "Conflictos",
    conflicts_none: "No hay conflictos: cada documento tiene una sola versión vigente.",
    conflicts_count: |n| if n == 1 { "1 documento se cambió en dos lugares a la vez.".into() } else { format!("{n} documentos se cambiaron en dos lugares a la vez.") },
    conflict_intro: "Esto se cambió en dos dispositivos a la vez. Para cada campo distinto, elija la versión que quiere conservar. No se descarta nada hasta que guarde.",
    conflict_field: "Campo",
    conflict_version: |i| format!("Versión {}", i + 1),
    conflict_current: "la que se muestra",
    conflict_save: "Conservar esta combinación",
    conflict_saved: "Resuelto. Los otros dispositivos reciben el resultado en su próxima sincronización.",
    conflict_gone: "Este conflicto ya fue resuelto.",
    resolve: "Resolver",
    edit: "Editar",
    new_entry: "Nueva ficha",
    save_changes: "Guardar",
    cancel: "Cancelar",
    delete_entry: "Borrar ficha",
    confirm_delete: "¿Borrar esta ficha? Desaparece de todos los dispositivos después de su próxima sincronización.",
    field_title: "Título",
    field_slug: "Nombre corto (en la dirección; letras, números y guiones)",
    field_summary: "Resumen",
    field_body: "Texto (Markdown)",
    field_kind: "Tipo",
    field_functions: "Funciones de gobierno",
    field_communities: "De dónde viene (separe con ;)",
    field_source: "Fuente",
    editor_fix_fields: "Corrija el campo marcado abajo.",
    editor_conflict: "Esta ficha se cambió en otro lugar desde que la abrió. Su texto sigue aquí: cópielo, recargue y vuelva a aplicarlo.",
    editor_slug_taken: "Ya existe una ficha con este nombre corto",
    editor_slug_invalid: "Use solo minúsculas, números y guiones",
    kind_name: |k| match k {
        Kind::Practice => "Práctica",
        Kind::CaseStudy => "Estudio de caso",
        Kind::Guide => "Guía",
    },
    function_name: |f| match f {
        Function::ServiceDelivery => "Prestación de servicios",
        Function::ExternalEngagement => "Participación externa",
        Function::Partnerships => "Alianzas",
        Function::PerformanceManagement => "Gestión del desempeño",
        Function::InternalCommunications => "Comunicación interna",
        Function::HumanResources => "Recursos humanos",
        Function::FinancialManagement => "Gestión financiera",
    },
    p: &partners::ES,
    c: &checklists::ES,
};

const LANG_KEY: &str = "commontable.lang";

/// The language signal, provided once at the root.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

/// Creates the language signal from the saved choice (or the browser's language) and keeps
/// `<html lang>` and the saved choice in step with it.
pub fn provide_i18n() -> I18n {
    let saved = local_storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    let initial = saved
        .as_deref()
        .and_then(Lang::from_code)
        .or_else(|| browser.as_deref().and_then(Lang::from_code))
        .unwrap_or(Lang::En);
    let lang = RwSignal::new(initial);
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", l.code());
        }
    });
    let i18n = I18n(lang);
    provide_context(i18n);
    i18n
}

/// Switches language and remembers the choice on this device.
pub fn set_lang(lang: Lang) {
    use_context::<I18n>().expect("i18n provided").0.set(lang);
    if let Some(s) = local_storage() {
        // Private-mode browsers may refuse; the choice then lasts for this visit only.
        let _ = s.set_item(LANG_KEY, lang.code());
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The current strings. Not reactive on purpose: the app re-renders from its root when the
/// language changes (a rare event), so each string is plain text in the view rather than a
/// reactive node of its own — which keeps the WASM much smaller.
pub fn use_i18n() -> &'static Messages {
    let I18n(lang) = use_context::<I18n>().expect("i18n provided");
    lang.get_untracked().messages()
}
