/**
 * A stand-in for the Device Provisioning Service's individual enrollment REST API, for tests of a
 * client: {@link io.github.dpsplugin.core.enroll.standin.DpsStandIn}.
 *
 * <h2>What a client must do to be answered</h2>
 * <ul>
 *   <li>HTTPS to {@code hostName()}, trusting {@code clientSslContext()} (in-process) or the
 *       {@code trustStore()} file ({@code -Djavax.net.ssl.trustStore}); the certificate is for
 *       {@code localhost}.</li>
 *   <li>{@code Authorization: SharedAccessSignature sr=<url-encoded host>&sig=<url-encoded base64
 *       HMAC-SHA256(key, sr + "\n" + se)>&se=<epoch seconds>&skn=provisioningserviceowner}; the
 *       expiry in the future and at most 3 900 s ahead. Otherwise 401.</li>
 *   <li>{@code ?api-version=2021-10-01} (or a later date, or an older published one). Otherwise 400.</li>
 *   <li>Bodies with {@code Content-Type: application/json} (otherwise 415), valid against the
 *       definitions of api-version 2021-10-01 (otherwise 400 naming the path): no property the
 *       definitions lack, except those a seeded enrollment carried (newer fields go back and forth);
 *       no read-only property, so {@code registrationState}, {@code createdDateTimeUtc} and
 *       {@code lastUpdatedDateTimeUtc} of a GET must be removed before writing the enrollment back
 *       ({@code etag} may stay).</li>
 *   <li>A certificate slot either carries the {@code certificate} (PEM) or only {@code info}; an
 *       info-only slot keeps the certificate stored in the same slot and must carry its
 *       thumbprints. Moving a certificate to the other slot takes its PEM.</li>
 *   <li>ETags are opaque quoted strings; {@code If-Match} and a bulk item's {@code etag} must be the
 *       exact string. {@code If-Match: *} matches any existing enrollment.</li>
 * </ul>
 *
 * <h2>What it answers</h2>
 * {@code GET /enrollments/{id}} 200 + ETag or 404; {@code PUT} 200 with the stored enrollment (the
 * certificates' info, never a PEM; {@code provisioningStatus}, {@code capabilities},
 * {@code reprovisionPolicy} defaulted; dates set), 412 on a stale {@code If-Match};
 * {@code DELETE} 204, 404, 412; {@code POST /enrollments} (bulk, 1 to 10 items; more: 400) 200
 * with {@code isSuccessful} and per-item {@code errors} (create of an existing one 409,
 * updateIfMatchETag with another etag 412, missing 404); {@code POST /enrollments/query} with
 * {@code {"query":"*"}}: pages in registration ID order of {@code x-ms-max-item-count} (default
 * 100, at most 1 000), the next page's token in the response header {@code x-ms-continuation}.
 * Errors carry {@code errorCode}, {@code trackingId}, {@code message}, {@code timestampUtc} and the
 * header {@code x-ms-error-code}; injected 429s carry {@code Retry-After}.
 *
 * <h2>In an invoker IT</h2>
 * {@code it/src/it/lib/StandIn.groovy}: {@code StandIn.start(basedir, mavenHome)} in setup.groovy,
 * {@code invoker.mavenExecutable = mvn-standin} in invoker.properties (the forked Maven then has
 * {@code DPS_CONNECTION}, {@code DPS_CONNECTION_WRONG_KEY} and the trust store),
 * {@code StandIn.of(basedir)} and {@code StandIn.stop(basedir)} in verify.groovy. Reruns against one
 * stand-in: {@code invoker.goals.N} with {@code verify.N.groovy} between the runs;
 * {@code StandIn.killMavenAfter} in a {@code setup.N.groovy} kills run N's Maven mid-run. See
 * {@code it/src/it/standin-smoke}.
 */
package io.github.dpsplugin.core.enroll.standin;
