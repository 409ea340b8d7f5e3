/**
 * The Lua health scripts that `ArgoCdHealthChecks` puts in `argocd-cm`, one per kind.
 *
 * Argo CD runs a health script from `argocd-cm` with the object in the global `obj` and takes the
 * table the script returns (`{ status = ..., message = ... }`) as the object's health
 * (https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#custom-health-checks). Unless
 * `resource.customizations.useOpenLibs.<group_kind>` is set, the script runs with only Lua's base,
 * table and package libraries (no `string`, no `math`), so these scripts use none of the others.
 * Every field is read through `get()`, so an object without `status` (just created), or with an
 * unexpected shape, gets a health instead of a Lua error (which Argo CD would show as `Unknown`).
 *
 * `test/argocd-health-lua.test.ts` runs the scripts in gopher-lua, the engine Argo CD embeds.
 */

/** Helpers shared by both scripts; Lua text. */
const HELPERS = `local function get(t, key)
  if type(t) == "table" then
    return t[key]
  end
  return nil
end

local function nonEmpty(value)
  return type(value) == "string" and value ~= ""
end

local function number(value)
  if type(value) == "number" then
    return value
  end
  if type(value) == "string" then
    return tonumber(value)
  end
  return nil
end
`;

/**
 * SparkApplication: the state machine of `status.applicationState.state`
 * (https://github.com/kubeflow/spark-operator/blob/master/docs/api-docs.md#applicationstatetype).
 *
 * It keeps the verdicts of Argo CD's built-in check for this kind
 * (`resource_customizations/sparkoperator.k8s.io/SparkApplication/health.lua` in argoproj/argo-cd)
 * and differs where that one has gaps:
 * - every state has a verdict: SUSPENDING and RESUMING are Progressing, SUSPENDED is Suspended, a
 *   state this script does not know is Unknown (the built-in check says "Waiting for Executor pods");
 * - INVALIDATING (the spec changed, the operator stops the run to submit it again) is Progressing,
 *   not Missing: the object exists, and Missing would read as "not in the cluster";
 * - RUNNING is Healthy once at least the wanted executors run: `spec.executor.instances` (1 when
 *   unset, the operator's default), or with dynamic allocation (`spec.dynamicAllocation.enabled`, or
 *   `spark.dynamicAllocation.enabled` / `spark.streaming.dynamicAllocation.enabled` in `sparkConf`)
 *   the configured minimum (0 when unset), since Spark adds and removes executors on its own;
 * - a missing `status` or `applicationState` is a new application (Progressing), never a Lua error;
 * - a failed state without `errorMessage` still gets a message.
 */
export const SPARK_APPLICATION_HEALTH_LUA = `-- Argo CD health of a sparkoperator.k8s.io/v1beta2 SparkApplication (cdk8s-spark).
${HELPERS}
local function failed(appState, what)
  local errorMessage = get(appState, "errorMessage")
  if nonEmpty(errorMessage) then
    return errorMessage
  end
  return what .. " (no error message in status.applicationState)"
end

-- The executors a running application should have: exactly spec.executor.instances, or with
-- dynamic allocation at least its minimum.
local function wantedExecutors(spec)
  local dynamic = get(spec, "dynamicAllocation")
  if get(dynamic, "enabled") == true then
    return number(get(dynamic, "minExecutors")) or 0, true
  end
  local conf = get(spec, "sparkConf")
  if get(conf, "spark.dynamicAllocation.enabled") == "true" then
    return number(get(conf, "spark.dynamicAllocation.minExecutors")) or 0, true
  end
  if get(conf, "spark.streaming.dynamicAllocation.enabled") == "true" then
    return number(get(conf, "spark.streaming.dynamicAllocation.minExecutors")) or 0, true
  end
  return number(get(get(spec, "executor"), "instances")) or 1, false
end

local function runningExecutors(status)
  local running = 0
  local executors = get(status, "executorState")
  if type(executors) == "table" then
    for _, podState in pairs(executors) do
      if podState == "RUNNING" then
        running = running + 1
      end
    end
  end
  return running
end

local hs = {}
local spec = get(obj, "spec")
local status = get(obj, "status")
local appState = get(status, "applicationState")
local state = get(appState, "state")

if state == nil or state == "" then
  hs.status = "Progressing"
  hs.message = "New: waiting for the operator to submit the application"
elseif state == "SUBMITTED" then
  hs.status = "Progressing"
  hs.message = "Submitted: waiting for the driver to run"
elseif state == "RUNNING" then
  local running = runningExecutors(status)
  local wanted, dynamic = wantedExecutors(spec)
  if running >= wanted then
    hs.status = "Healthy"
    if dynamic then
      hs.message = "Running with " .. running .. " executors (dynamic allocation, at least " .. wanted .. ")"
    else
      hs.message = "Running with " .. running .. " of " .. wanted .. " executors"
    end
  else
    hs.status = "Progressing"
    hs.message = "Running, waiting for executors: " .. running .. " of " .. wanted .. " running"
  end
elseif state == "SUCCEEDING" then
  hs.status = "Progressing"
  hs.message = "Succeeding: the driver completed, the operator cleans up the executors"
elseif state == "COMPLETED" then
  hs.status = "Healthy"
  hs.message = "Completed"
elseif state == "FAILING" then
  hs.status = "Degraded"
  hs.message = failed(appState, "Failing")
elseif state == "FAILED" then
  hs.status = "Degraded"
  hs.message = failed(appState, "Failed")
elseif state == "SUBMISSION_FAILED" then
  hs.status = "Degraded"
  hs.message = failed(appState, "Submission failed")
elseif state == "PENDING_RERUN" then
  hs.status = "Progressing"
  hs.message = "Pending rerun: the restart policy submits the application again"
elseif state == "INVALIDATING" then
  hs.status = "Progressing"
  hs.message = "Invalidating: the spec changed, the operator stops the run to submit it again"
elseif state == "SUSPENDING" then
  hs.status = "Progressing"
  hs.message = "Suspending: the operator stops the run (spec.suspend is true)"
elseif state == "SUSPENDED" then
  hs.status = "Suspended"
  hs.message = "Suspended: nothing runs until spec.suspend is false"
elseif state == "RESUMING" then
  hs.status = "Progressing"
  hs.message = "Resuming: the operator submits the application again"
elseif state == "UNKNOWN" then
  hs.status = "Progressing"
  hs.message = "Unknown: the state of the driver or of an executor pod is unknown"
else
  hs.status = "Unknown"
  hs.message = "Unrecognised state " .. tostring(state)
end
return hs
`;

/** Replaced by `true` or `false` in the ScheduledSparkApplication script. */
const LAST_RUN_FAILURE_DEGRADES = '@LAST_RUN_FAILURE_DEGRADES@';

/**
 * ScheduledSparkApplication (Argo CD has no built-in check for it): `status.scheduleState`, then
 * `spec.suspend`, then the outcome of the last run. `FailedValidation` is Degraded with
 * `status.reason`; a suspended schedule is Suspended (the operator keeps `Scheduled` then); a
 * schedule whose last run (`status.lastRunName`) is among `status.pastFailedRunNames` is Degraded
 * (or, if the option says so, Healthy with the failure in the message) until a later run succeeds;
 * otherwise `Scheduled` is Healthy. No state yet (or `Validating`) is Progressing.
 */
const SCHEDULED_SPARK_APPLICATION_HEALTH_LUA = `-- Argo CD health of a sparkoperator.k8s.io/v1beta2 ScheduledSparkApplication (cdk8s-spark).
${HELPERS}
local lastRunFailureDegrades = ${LAST_RUN_FAILURE_DEGRADES}

local function contains(list, name)
  if type(list) == "table" then
    for _, item in ipairs(list) do
      if item == name then
        return true
      end
    end
  end
  return false
end

local hs = {}
local spec = get(obj, "spec")
local status = get(obj, "status")
local state = get(status, "scheduleState")
local lastRunName = get(status, "lastRunName")
local nextRun = get(status, "nextRun")
local lastRun = ""
if nonEmpty(lastRunName) then
  if contains(get(status, "pastFailedRunNames"), lastRunName) then
    lastRun = "last run " .. lastRunName .. " failed"
  elseif contains(get(status, "pastSuccessfulRunNames"), lastRunName) then
    lastRun = "last run " .. lastRunName .. " completed"
  else
    lastRun = "last run " .. lastRunName .. " started"
  end
end
local lastRunFailed = nonEmpty(lastRunName) and contains(get(status, "pastFailedRunNames"), lastRunName)

if state == "FailedValidation" then
  hs.status = "Degraded"
  local reason = get(status, "reason")
  if nonEmpty(reason) then
    hs.message = reason
  else
    hs.message = "The schedule failed validation (no reason in the status)"
  end
elseif get(spec, "suspend") == true then
  hs.status = "Suspended"
  hs.message = "Suspended: no run starts until spec.suspend is false"
  if lastRun ~= "" then
    hs.message = hs.message .. "; " .. lastRun
  end
elseif state == "Scheduled" then
  if lastRunFailed and lastRunFailureDegrades then
    hs.status = "Degraded"
  else
    hs.status = "Healthy"
  end
  hs.message = "Scheduled"
  if lastRun ~= "" then
    hs.message = hs.message .. "; " .. lastRun
  end
  if nonEmpty(nextRun) then
    hs.message = hs.message .. "; next run at " .. nextRun
  end
else
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to validate the schedule"
end
return hs
`;

/**
 * The ScheduledSparkApplication script.
 *
 * @param lastRunFailureDegrades whether a failed last run makes the schedule Degraded (else Healthy)
 */
export function scheduledSparkApplicationHealthLua(lastRunFailureDegrades: boolean): string {
  return SCHEDULED_SPARK_APPLICATION_HEALTH_LUA.replace(LAST_RUN_FAILURE_DEGRADES, String(lastRunFailureDegrades));
}

/**
 * SparkConnect: `status.state` as the SparkConnect controller writes it (docs/controller.md,
 * "SparkConnect"), with the `ServerPodReady` condition's message. `NotReady` is Progressing: a
 * server pod runs but does not listen yet while its JVM starts, as after every (re)start.
 */
export const SPARK_CONNECT_HEALTH_LUA = `-- Argo CD health of a sparkoperator.k8s.io/v1alpha1 SparkConnect (cdk8s-spark).
${HELPERS}
local status = get(obj, "status")
local state = get(status, "state")
local message = ""
local conditions = get(status, "conditions")
if type(conditions) == "table" then
  for _, condition in ipairs(conditions) do
    if get(condition, "type") == "ServerPodReady" and nonEmpty(get(condition, "message")) then
      message = get(condition, "message")
    end
  end
end

if state == "Ready" then
  return { status = "Healthy", message = message }
end
if state == "Failed" then
  return { status = "Degraded", message = message }
end
if state == nil or state == "" or state == "Provisioning" or state == "NotReady" then
  if message == "" then
    message = "Waiting for the operator to start the Spark Connect server"
  end
  return { status = "Progressing", message = message }
end
return { status = "Unknown", message = "Unknown state: " .. tostring(state) }
`;
