//! Fuzz target: the ICEWS event importer (see import_events_common.rs for the invariants).
#![no_main]

include!("import_events_common.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check_events(data, events::EventTable::Icews);
});
