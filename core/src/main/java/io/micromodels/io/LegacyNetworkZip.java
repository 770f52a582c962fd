package io.micromodels.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code network.zip} entry of a format-1 model (DL4J's {@code ModelSerializer} output), inspected without
 * unpacking or deserialising anything: only the entry names in its central directory are read. Format 1 wrote
 * {@code configuration.json} and {@code coefficients.bin} only; a {@code preprocessor.bin} or
 * {@code updaterState.bin} (which DL4J would read with an {@code ObjectInputStream}) is never opened, and its
 * presence makes the loader refuse the model.
 */
final class LegacyNetworkZip {
    /** The entries {@code ModelStore} version 1 wrote into {@code network.zip}. */
    static final List<String> WRITTEN_BY_FORMAT_1 = List.of("configuration.json", "coefficients.bin");

    private static final int EOCD = 0x06054b50;
    private static final int CEN = 0x02014b50;

    private LegacyNetworkZip() {
    }

    /**
     * Entry names listed in the central directory of the zip held in {@code zip}.
     *
     * @throws IllegalArgumentException when there is no well-formed central directory
     */
    static List<String> entryNames(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
            if (b.getInt(i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new IllegalArgumentException("no zip central directory");
        }
        int count = Short.toUnsignedInt(b.getShort(eocd + 10));
        long offset = Integer.toUnsignedLong(b.getInt(eocd + 16));
        List<String> names = new ArrayList<>();
        long p = offset;
        for (int k = 0; k < count; k++) {
            if (p < 0 || p + 46 > eocd || b.getInt((int) p) != CEN) {
                throw new IllegalArgumentException("a malformed zip central directory");
            }
            int nameLength = Short.toUnsignedInt(b.getShort((int) p + 28));
            int extraLength = Short.toUnsignedInt(b.getShort((int) p + 30));
            int commentLength = Short.toUnsignedInt(b.getShort((int) p + 32));
            if (p + 46 + nameLength > eocd) {
                throw new IllegalArgumentException("a malformed zip central directory");
            }
            names.add(new String(zip, (int) p + 46, nameLength, StandardCharsets.UTF_8));
            p += 46L + nameLength + extraLength + commentLength;
        }
        return names;
    }
}
