# somguide: build on Debian 12, run on Debian 12 slim with only the runtime libraries.
FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential pkg-config libmicrohttpd-dev libsqlite3-dev libjansson-dev \
      libsodium-dev libmd4c-dev libmd4c-html0-dev libxlsxwriter-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY server ./server
RUN make -j"$(nproc)" build/somguide

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libmicrohttpd12 libsqlite3-0 libjansson4 libsodium23 libmd4c0 libmd4c-html0 libxlsxwriter4 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/somguide --create-home somguide
WORKDIR /usr/share/somguide
COPY --from=build /src/build/somguide /usr/local/bin/somguide
COPY templates ./templates
COPY static ./static
COPY schema ./schema
ENV SOMGUIDE_ROOT=/usr/share/somguide \
    SOMGUIDE_DB=/var/lib/somguide/somguide.db
VOLUME /var/lib/somguide
USER somguide
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/usr/local/bin/somguide", "--version"]
ENTRYPOINT ["/usr/local/bin/somguide"]
CMD ["serve", "--bind", "0.0.0.0", "--port", "8080"]
