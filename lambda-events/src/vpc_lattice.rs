//! Events for `vpc_lattice` (types to come).
