"""Fitted feature assemblers in the manner of Spark ML (sheaf_features.h):
StringIndexer, OneHotEncoder, StandardScaler, MinMaxScaler, Imputer,
VectorAssembler and Pipeline, each with fit/transform."""
