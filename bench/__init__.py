"""Benchmarks and their data generators (run through `xinyong bench …`)."""
