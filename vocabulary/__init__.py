"""The bottom layer, importing nothing of ours: DfE code lists, the partnership's declared agencies, measures
and grade scales, and where things live (warehouse and key paths)."""
