//! The search index and the WorkQuery filter model.
