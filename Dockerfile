# syntax=docker/dockerfile:1
# valuesbot container image.
#
#   docker build -t valuesbot .
#   docker run --rm -e SLACK_APP_TOKEN -e SLACK_BOT_TOKEN valuesbot
#
# Two stages, each in two steps.  "toolchain" installs the -dev packages
# (scripts/install-deps.sh); "build", on it, builds with -Werror and runs
# `make test` (every test plain and under ASan+UBSan), so an image exists
# only for a tree that passes.  "runtime" is debian:bookworm-slim with the
# shared libraries the binary links; the image, on it, adds the binary, the
# knowledge bases and the example config, running as an unprivileged user.
# Every setting comes from the environment (README, "Configuration");
# nothing secret is baked in.  `make image-check` builds this file without
# a Docker engine and runs the result.

FROM debian:bookworm AS toolchain
ENV CI=1 DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# The package list first, on its own, so that a source change does not
# reinstall the toolchain.  A stage of its own, so that `make image-check`
# can install it while CI runs the tests (it needs no source).
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh

FROM toolchain AS build
COPY . .
# TEST is the make target the build runs: `test` (default) runs every test
# plain and under ASan+UBSan.  CI, which has just run `make test` on the same
# tree, builds with TEST=test-unit (the Criterion tests and the eval gate,
# plain) so the image's own build is tested without repeating the slow
# integration suites.
ARG TEST=test
RUN make -j2 \
    && make "$TEST" \
    && make install DESTDIR=/out PREFIX=/usr/local

FROM debian:bookworm-slim AS runtime
# The runtime halves of the -dev packages in scripts/install-deps.sh
# (libstemmer is linked statically, its English stemmer only).
# libwebsockets loads its libuv event loop as a plugin (dlopen), which ldd
# cannot see: without libwebsockets-evlib-uv, `valuesbot run` cannot start
# (make image-check runs it against a fake Slack to prove it does).
# ca-certificates fills /etc/ssl/certs, the hashed directory TLS trusts.
# poppler-utils gives `kb build` its pdftotext for PDF sources.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates libcurl4 libjansson4 libsqlite3-0 libssl3 \
        libutf8proc2 libuv1 libwebsockets17 libwebsockets-evlib-uv libxml2 \
        poppler-utils \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 10001 --user-group --no-create-home --no-log-init \
        --home-dir /var/lib/valuesbot --shell /usr/sbin/nologin valuesbot \
    && install -d -o valuesbot -g valuesbot -m 0750 /var/lib/valuesbot

FROM runtime
COPY --from=build /out/usr/local/ /usr/local/
COPY scripts/docker-healthcheck.sh /usr/local/bin/valuesbot-healthcheck
# Fail the build, not the first start, when a library the binary needs is
# missing from the list above.
RUN ! ldd /usr/local/bin/valuesbot /usr/local/libexec/valuesbot/valuesbot-net | grep "not found" \
    && valuesbot version

ENV VALUESBOT_KB=/usr/local/share/valuesbot/knowledge \
    VALUESBOT_DB=/var/lib/valuesbot/valuesbot.db \
    VALUESBOT_HTTP=127.0.0.1:8080 \
    VALUESBOT_LOG_FORMAT=logfmt
USER 10001:10001
WORKDIR /var/lib/valuesbot
VOLUME /var/lib/valuesbot
STOPSIGNAL SIGTERM
# GET /healthz on $VALUESBOT_HTTP with bash's /dev/tcp: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/usr/local/bin/valuesbot-healthcheck"]
ENTRYPOINT ["/usr/local/bin/valuesbot"]
CMD ["run"]
