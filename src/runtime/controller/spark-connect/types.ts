/**
 * The inputs and outputs of the SparkConnect controller's pure core ({@link decide}): what it sees,
 * the options it runs with and the decision the shell carries out. No I/O lives here.
 */
import { ConnectService, Pod } from './objects';
import { ObjectMeta, SparkConnectStatus } from '../../../api';
import { ConfigMap } from '../../submission';

/** A pod or Service as the caches hold it (trimmed: metadata and status). */
export interface ObservedObject {
  readonly metadata: ObjectMeta;
  readonly status?: Record<string, any>;
}

/** What the controller sees of one SparkConnect's world. */
export interface ConnectObserved {
  /** The pod named `<name>-server`, if the cache has it. */
  readonly serverPod?: ObservedObject;
  /** The server's Service, if the cache has it. */
  readonly service?: ObservedObject;
  /** The executor pods (labelled with the SparkConnect's name and `spark-role: executor`). */
  readonly executors: readonly ObservedObject[];
  /**
   * Why the API server refused to create what this SparkConnect needs (a name another owner has, a
   * pod it rejects), when the shell's last try was refused in a way no retry changes.
   */
  readonly refused?: string;
}

/** The controller options that SparkConnect decisions depend on. */
export interface ConnectDecideOptions {
  /** `--master` of the server: the API server as pods reach it (`k8s://https://...`). */
  readonly sparkMaster: string;
  /** The operator's own ServiceAccounts (`namespace/name`): no server or executor may run as one. */
  readonly protectedServiceAccounts?: readonly string[];
}

/** A Kubernetes Event on the SparkConnect. */
export interface ConnectEventAction {
  readonly type: 'event';
  readonly eventType: 'Normal' | 'Warning';
  /** `SparkConnect*`, see `events.ts`. */
  readonly reason: string;
  readonly message: string;
}

/** Something the shell does for a decision; every action is idempotent. */
export type ConnectAction =
  /** Create the ConfigMap, or rewrite ours when its data differs (before the server pod that mounts it). */
  | { readonly type: 'applyConfigMap'; readonly configMap: ConfigMap }
  /** Create the server pod (`AlreadyExists` with our owner is success). */
  | { readonly type: 'createServerPod'; readonly pod: Pod }
  /** Delete the server pod `name` of uid `uid` (gone already is fine); it is created again afterwards. */
  | { readonly type: 'deleteServerPod'; readonly name: string; readonly uid: string }
  /** Create the server's Service (`AlreadyExists` with our owner is success). */
  | { readonly type: 'createService'; readonly service: ConnectService }
  | ConnectEventAction;

/** What `decide` concluded for one SparkConnect. */
export interface ConnectDecision {
  /** The status to write (only when it differs from the current one). */
  readonly status: SparkConnectStatus;
  /** What to do, in order, BEFORE the status is written. */
  readonly actions: readonly ConnectAction[];
}
