// SparkPi in Go: examples/spark-pi.ts and the operator it runs on (examples/operator.ts).
//
// Synthesizes the charts spark-operator and spark-pi into $CDK8S_OUTDIR (default: dist/); the
// packaging tests check that the YAML is byte for byte the TypeScript examples' YAML.
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-spark/cdk8s-spark-go/cdk8sspark"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2"
)

func main() {
	app := cdk8s.NewApp(nil)

	// The operator for the job namespace spark-jobs (examples/operator.ts).
	operatorChart := cdk8s.NewChart(app, jsii.String("spark-operator"), nil)
	cdk8splus28.NewNamespace(operatorChart, jsii.String("jobs"), &cdk8splus28.NamespaceProps{
		Metadata: &cdk8s.ApiObjectMetadata{
			Name:        jsii.String("spark-jobs"),
			Annotations: &map[string]*string{"argocd.argoproj.io/sync-wave": jsii.String("-3")},
		},
	})
	operator := cdk8sspark.NewSparkOperator(operatorChart, jsii.String("spark"), &cdk8sspark.SparkOperatorProps{
		Namespace:       jsii.String("spark-operator"),
		CreateNamespace: jsii.Bool(true),
		InstallCrds:     jsii.Bool(false),
		JobNamespaces:   jsii.Strings("spark-jobs"),
	})

	// SparkPi, running as the drivers' service account the operator renders in spark-jobs.
	jobs := cdk8s.NewChart(app, jsii.String("spark-pi"), &cdk8s.ChartProps{Namespace: jsii.String("spark-jobs")})
	cdk8sspark.NewSparkApplication(jobs, jsii.String("spark-pi"), &cdk8sspark.SparkApplicationProps{
		Metadata:            &cdk8s.ApiObjectMetadata{Name: jsii.String("spark-pi")},
		Image:               jsii.String("apache/spark:3.5.1"),
		SparkVersion:        jsii.String("3.5.1"),
		MainClass:           jsii.String("org.apache.spark.examples.SparkPi"),
		MainApplicationFile: jsii.String("local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar"),
		Arguments:           jsii.Strings("1000"),
		ServiceAccount:      operator.DriverRbacOf(jsii.String("spark-jobs")),
		Driver:              &cdk8sspark.SparkDriverProps{Memory: cdk8s.Size_Mebibytes(jsii.Number(512))},
		Executor:            &cdk8sspark.SparkExecutorProps{Instances: jsii.Number(2), Memory: cdk8s.Size_Mebibytes(jsii.Number(512))},
	})

	app.Synth()
}
