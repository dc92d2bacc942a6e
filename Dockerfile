# syntax=docker/dockerfile:1
# embargo as a container: docs/running.md, "Docker". Node 22: a production dependency
# (content-type, via @octokit/request) declares node >= 22.

# 1. Build: TypeScript needs the dev dependencies.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# 2. The production install alone: what the image ships.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. The image: built app, templates, production node_modules; runs as the unprivileged `node` user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json app.yml ./
COPY templates ./templates
COPY --from=build /app/lib ./lib
USER node
EXPOSE 3000
# Probot answers GET /ping with PONG; the slim image has no curl, Node's fetch does it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./lib/index.js"]
