// Placeholder: the Parquet issue replaces this file.
