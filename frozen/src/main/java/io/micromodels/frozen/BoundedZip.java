package io.micromodels.frozen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads every entry of a zip into memory with bounds on what an untrusted file can make the reader do: the file's
 * size, the number of entries, each entry's unpacked size, the total unpacked size and the compression ratio of
 * large entries. Sizes are counted while inflating, never taken from the headers, so a zip bomb stops at the
 * first bound it crosses with a {@link LimitException} (one line naming the file, the entry and the bound) instead
 * of exhausting memory. Duplicate and directory entries are refused. Both the core model loader and
 * {@link FrozenMicromodel#load(Path)} read saved models through it.
 *
 * <pre>{@code
 * Map<String, byte[]> entries = BoundedZip.read(Path.of("model.zip"), BoundedZip.Limits.DEFAULT);
 * byte[] frozen = entries.get("frozen.json");
 * }</pre>
 */
public final class BoundedZip {
    private BoundedZip() {
    }

    /**
     * Bounds for {@link #read}.
     *
     * @param maxFileBytes   largest zip file accepted, in bytes
     * @param maxEntries     most entries accepted
     * @param maxEntryBytes  largest unpacked entry, in bytes
     * @param maxTotalBytes  largest sum of unpacked entries, in bytes
     * @param ratioFloor     entries up to this many unpacked bytes are not ratio-checked (small JSON compresses well)
     * @param maxRatio       largest unpacked / packed ratio of an entry above {@code ratioFloor}
     */
    public record Limits(long maxFileBytes, int maxEntries, long maxEntryBytes, long maxTotalBytes, long ratioFloor,
                         int maxRatio) {
        /**
         * Saved micromodels: files up to 256 MiB, 1,000 entries, 128 MiB per entry and 512 MiB in all, and a
         * ratio of at most 100 for entries above 1 MiB (a micromodel is kilobytes to a few megabytes; its float
         * parameters compress about 1.1x and its JSON about 3x).
         */
        public static final Limits DEFAULT = new Limits(256L << 20, 1_000, 128L << 20, 512L << 20, 1L << 20, 100);

        /** Checks every bound is positive and consistent. */
        public Limits {
            positive("maxFileBytes", maxFileBytes);
            positive("maxEntries", maxEntries);
            positive("maxEntryBytes", maxEntryBytes);
            positive("maxTotalBytes", maxTotalBytes);
            positive("ratioFloor", ratioFloor);
            positive("maxRatio", maxRatio);
            if (maxEntryBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxEntryBytes must be in [1, " + (Integer.MAX_VALUE - 8) + "], got " + maxEntryBytes);
            }
        }

        private static void positive(String field, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be at least 1, got " + value);
            }
        }
    }

    /** A zip that crosses one of the {@link Limits}: the message names the file, the entry and the bound. */
    public static final class LimitException extends ZipException {
        private static final long serialVersionUID = 1L;

        /** @param message one line naming the file, entry and bound */
        public LimitException(String message) {
            super(message);
        }
    }

    /**
     * All entries of {@code file}, name to unpacked bytes, in the zip's order.
     *
     * @throws LimitException          when a bound is crossed
     * @throws ZipException            when the file is not a readable zip (truncated, corrupted, a CRC mismatch)
     * @throws IOException             when it cannot be read
     */
    public static Map<String, byte[]> read(Path file, Limits limits) throws IOException {
        long size = Files.size(file);
        if (size > limits.maxFileBytes()) {
            throw new LimitException(file + " is " + size + " bytes; a model zip may be at most " + limits.maxFileBytes());
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > limits.maxEntries()) {
                throw new LimitException(file + " has " + zip.size() + " entries; a model zip may have at most "
                        + limits.maxEntries());
            }
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                if (e.isDirectory()) {
                    throw new LimitException(file + " holds a folder entry '" + name + "'; a model zip holds files only");
                }
                if (out.containsKey(name)) {
                    throw new LimitException(file + " holds the entry '" + name + "' twice");
                }
                byte[] bytes = readEntry(file, zip, e, limits, limits.maxTotalBytes() - total);
                total += bytes.length;
                out.put(name, bytes);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry e, Limits limits, long totalLeft) throws IOException {
        long packed = Math.max(1, e.getCompressedSize());
        long ratioCap = packed > Long.MAX_VALUE / limits.maxRatio() ? Long.MAX_VALUE : packed * limits.maxRatio();
        ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.min(Math.max(e.getSize(), 32), 1 << 16));
        byte[] chunk = new byte[1 << 16];
        long n = 0;
        try (InputStream in = zip.getInputStream(e)) {
            int r;
            while ((r = in.read(chunk)) != -1) {
                n += r;
                if (n > limits.maxEntryBytes()) {
                    throw new LimitException(file + ": entry '" + e.getName() + "' unpacks to more than "
                            + limits.maxEntryBytes() + " bytes (a zip bomb?); refusing it");
                }
                if (n > totalLeft) {
                    throw new LimitException(file + ": entries unpack to more than " + limits.maxTotalBytes()
                            + " bytes in all (a zip bomb?); refusing it at entry '" + e.getName() + "'");
                }
                if (n > limits.ratioFloor() && n > ratioCap) {
                    throw new LimitException(file + ": entry '" + e.getName() + "' unpacks more than " + limits.maxRatio()
                            + " times its packed size of " + packed + " bytes (a zip bomb?); refusing it");
                }
                buf.write(chunk, 0, r);
            }
        }
        return buf.toByteArray();
    }
}
