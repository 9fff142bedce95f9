# Eider in a container: the embedded engine needs nothing but a volume.
#   docker build -t eider .
#   docker run -v eider-data:/var/lib/eider -p 143:1143 -p 110:1110 -p 24:2424 -e EIDER_API_ACCESSTOKEN=... eider
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY scripts ./scripts
COPY config ./config
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    EIDER_STORAGE_DATADIR=/var/lib/eider \
    EIDER_IMAP_HOST=0.0.0.0 \
    EIDER_POP3_HOST=0.0.0.0 \
    EIDER_LMTP_HOST=0.0.0.0 \
    EIDER_API_HOST=0.0.0.0
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/config ./config
RUN mkdir -p /var/lib/eider && chown node:node /var/lib/eider
USER node
VOLUME /var/lib/eider
EXPOSE 1143 1110 2424 8080
# Binding 0.0.0.0 makes an access token mandatory for the API: pass EIDER_API_ACCESSTOKEN.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/cli/main.js", "start"]
