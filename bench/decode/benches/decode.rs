//! `cargo bench -p decode` (from bench/): see the `decode` library for the inputs and the cases.

criterion::criterion_group!(benches, decode::benches);
criterion::criterion_main!(benches);
