/** Builders of our CustomResourceDefinitions; the data behind the `SparkCrds` construct. */
export * from './crd';
export * from './schema';
export * from './spark-application-crd';
export * from './scheduled-spark-application-crd';
export * from './spark-connect-crd';
