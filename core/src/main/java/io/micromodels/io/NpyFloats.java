package io.micromodels.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-dimensional float32 array in NumPy's {@code .npy} format (version 1.0, little-endian {@code <f4}, shape
 * {@code (n,)}): how a saved model holds its network's flat parameter vector. {@code numpy.load} reads the entry;
 * this reader accepts exactly the header NumPy and {@link #write} produce, so no other type, order or shape
 * reaches the network.
 */
final class NpyFloats {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Pattern HEADER =
            Pattern.compile("\\{'descr': '<f4', 'fortran_order': False, 'shape': \\((\\d{1,10}),\\), \\} *\n");

    private NpyFloats() {
    }

    /** {@code values} ({@code [n]}) as {@code .npy} bytes. */
    static byte[] write(float[] values) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(padded + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    /**
     * The float array in {@code bytes}.
     *
     * @throws IllegalArgumentException saying what is wrong: magic, header, or a data length that does not match the shape
     */
    static float[] read(byte[] bytes) {
        if (bytes.length < MAGIC.length + 2) {
            throw new IllegalArgumentException("not a .npy array (" + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IllegalArgumentException("not a version 1.0 .npy array (bad magic)");
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(buf.getShort(MAGIC.length));
        int dataStart = MAGIC.length + 2 + headerLength;
        if (dataStart > bytes.length) {
            throw new IllegalArgumentException("the .npy header is cut short");
        }
        String header = new String(bytes, MAGIC.length + 2, headerLength, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IllegalArgumentException("the .npy header must describe a 1-D little-endian float32 array, got "
                    + header.strip());
        }
        long n = Long.parseLong(m.group(1));
        if (4 * n != bytes.length - dataStart) {
            throw new IllegalArgumentException("the .npy header declares " + n + " floats but " + (bytes.length - dataStart)
                    + " data bytes follow");
        }
        float[] values = new float[(int) n];
        buf.position(dataStart);
        buf.asFloatBuffer().get(values);
        return values;
    }
}
