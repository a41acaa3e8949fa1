"""Matching: the service (`service`), the exact engine (`engine`), its compiled passes
(`kernels`) and the values they share (`types`)."""
