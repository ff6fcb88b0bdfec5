"""The bottom layer: DfE code lists and the partnership's declared vocabulary; imports nothing of ours."""
