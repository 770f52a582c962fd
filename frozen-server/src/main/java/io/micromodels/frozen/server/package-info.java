/**
 * HTTP scoring of frozen micromodels: {@link io.micromodels.frozen.server.FrozenServer} (the server),
 * {@link io.micromodels.frozen.server.ServerOptions} (its validated settings) and
 * {@link io.micromodels.frozen.server.PredictEndpoint} (request bodies to replies, independent of HTTP).
 *
 * <h2>Why Jetty</h2>
 * The server runs on Jetty 12's core API (jetty-server with jetty-http, jetty-io, jetty-util and slf4j-api; no
 * servlet API), in this module of its own so that the {@code frozen} module keeps Jackson as its only dependency.
 * The JDK's {@code com.sun.net.httpserver}, used before, has no header or request timeouts and no header size
 * limit, and handles each connection's headers on a pool thread: four connections sending partial headers (as many as
 * its threads) stopped it answering anyone. Undertow 2.3 has the controls too but brings XNIO and JBoss Logging, a
 * larger footprint for a one-endpoint server. Jetty gives, in 2.3 MB of jars:
 * <ul>
 * <li>request lines and headers parsed on the selector thread, and asynchronous body reads, so a slow client holds
 * no worker; a bounded {@code QueuedThreadPool} ({@link io.micromodels.frozen.server.ServerOptions#threads()} workers
 * plus one acceptor and one selector), its job queue bounded by the connection limit;</li>
 * <li>an idle timeout and a connection limit ({@code NetworkConnectionLimit});</li>
 * <li>limits on the request line plus headers (8 KiB: 414 / 431) and, in this server, the body (413);</li>
 * <li>a parser state per connection, from which {@link io.micromodels.frozen.server.SlowRequestReaper} closes requests
 * that take longer than {@link io.micromodels.frozen.server.ServerOptions#requestTimeoutMillis()} to arrive.</li>
 * </ul>
 *
 * <h2>Example</h2>
 * <pre>{@code
 * FrozenMicromodel model = FrozenMicromodel.load(Path.of("heart.zip"));
 * try (FrozenServer server = FrozenServer.start(model, ServerOptions.defaults().withPort(0))) {
 *     // POST {"age": 63, "sex": "1", ...} to server.uri().resolve("/predict")
 * }
 * }</pre>
 */
package io.micromodels.frozen.server;
