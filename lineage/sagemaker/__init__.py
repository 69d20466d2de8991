"""What SageMaker accepts and how data flows through it: the API model (botocore shapes), step
types, pipeline expressions, property paths and S3 locations."""
