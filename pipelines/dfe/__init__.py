"""DfE CIN census validation rules, under DfE's rule codes, run as DuckDB SQL over a raw staging."""
