"""举一反三: sweeps from one problem across units and sites (docs/sweeps.md)."""
