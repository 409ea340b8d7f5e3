# The one image of the cdk8s-spark operator: Node.js and the runtime bundle, nothing else.
#
#   docker build -t <registry>/cdk8s-spark-operator:<library version> .
#
# The same image runs both Deployments that SparkOperator renders: the container args start with the
# sub-command (`controller`, `webhook`). It runs as user and group 65532, needs no shell, and writes
# only to /tmp (an emptyDir under the read-only root filesystem).

# ---- build: the bundle, and Node.js with the shared libraries it links ------------------------------
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run bundle
# The final stage has no package manager and no shell: copy Node.js and exactly the libraries that
# ldd says it loads, at their own paths.
RUN mkdir -p /rootfs/nodejs/bin /rootfs/app /rootfs/tmp \
 && chmod 1777 /rootfs/tmp \
 && cp /usr/local/bin/node /rootfs/nodejs/bin/node \
 && for lib in $(ldd /usr/local/bin/node | grep -o '/[^ ]*'); do cp --parents -L "$lib" /rootfs/; done

# ---- the image --------------------------------------------------------------------------------------
FROM scratch
COPY --from=build /rootfs/ /
COPY --from=build /src/build/runtime/cdk8s-spark-operator.js /app/cdk8s-spark-operator.js
USER 65532:65532
ENV NODE_ENV=production
ENTRYPOINT ["/nodejs/bin/node", "/app/cdk8s-spark-operator.js"]
