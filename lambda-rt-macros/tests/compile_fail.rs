//! Compile tests of `#[handler]` and `#[init]`: every misuse fails with a helpful message at the right token
//! (`tests/fail`), every accepted form compiles, registers and runs (`tests/pass`).
//!
//! Regenerate the expected output after a deliberate change with `TRYBUILD=overwrite cargo test -p
//! lambda-fn-macros --test compile_fail`, then read every changed `.stderr`.

#[test]
fn compile_tests() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/fail/*.rs");
    t.pass("tests/pass/*.rs");
}
