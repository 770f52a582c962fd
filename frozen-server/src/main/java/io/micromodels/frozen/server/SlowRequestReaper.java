package io.micromodels.frozen.server;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes connections whose current request (request line, headers and body) has been arriving for longer than a
 * time limit: the slow-loris defence that Jetty's idle timeout does not give (a client sending one header byte every
 * few seconds is never idle). Every {@code timeout / 4} (at least 25 ms) it looks at each connected endpoint's HTTP/1
 * parser: a parser that has left its start state but not reached the end of a request is "receiving"; one seen
 * receiving the same request (same {@code messagesIn}) for longer than the timeout has its endpoint closed.
 * Idle keep-alive connections between requests are left to the idle timeout.
 *
 * <p>Slow connections never hold a worker thread in {@link FrozenServer} (Jetty parses headers on its selector and
 * the body is read asynchronously), so they cost only memory; this bounds how long they can keep it.
 * It reads {@link HttpConnection#getParser()}, which is in Jetty's {@code internal} package but public; connections of
 * other kinds are ignored.
 */
final class SlowRequestReaper implements Runnable {
    private final AbstractConnector connector;
    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final long periodMillis;
    private final Map<EndPoint, Pending> pending = new HashMap<>();
    private final AtomicLong closed = new AtomicLong();
    private volatile boolean stopped;

    /** When a request was first seen arriving, and the connection's message count then. */
    private record Pending(long sinceNanos, long messagesIn) {
    }

    SlowRequestReaper(AbstractConnector connector, Scheduler scheduler, long timeoutMillis) {
        this.connector = connector;
        this.scheduler = scheduler;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.periodMillis = Math.max(25, timeoutMillis / 4);
    }

    void start() {
        scheduler.schedule(this, periodMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
    }

    /** Connections closed so far for sending a request too slowly. */
    long closedCount() {
        return closed.get();
    }

    @Override
    public void run() {
        if (stopped) return;
        try {
            sweep(System.nanoTime());
        } finally {
            if (!stopped) scheduler.schedule(this, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep(long now) {
        Set<EndPoint> seen = new HashSet<>();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            Connection c = endPoint.getConnection();
            if (!(c instanceof HttpConnection http)) continue;
            if (!receiving(http.getParser())) continue;
            seen.add(endPoint);
            long messages = http.getMessagesIn();
            Pending p = pending.get(endPoint);
            if (p == null || p.messagesIn() != messages) {
                pending.put(endPoint, new Pending(now, messages));
            } else if (now - p.sinceNanos() > timeoutNanos) {
                closed.incrementAndGet();
                endPoint.close();
            }
        }
        pending.keySet().retainAll(seen);
    }

    /** Between the first byte of a request and its end (line, headers or body still arriving). */
    private static boolean receiving(HttpParser parser) {
        HttpParser.State s = parser.getState();
        return s != HttpParser.State.START && s != HttpParser.State.END && s != HttpParser.State.CLOSE
                && s != HttpParser.State.CLOSED && s != HttpParser.State.CONTENT_END;
    }
}
