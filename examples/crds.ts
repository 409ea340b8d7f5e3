import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { SparkCrds } from '../src';

/**
 * The two CustomResourceDefinitions on their own, for platforms that install CRDs separately
 * from the operator (for example in an earlier Argo CD sync wave or a separate Application).
 */
export class CrdsChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SparkCrds(this, 'crds');
  }
}
