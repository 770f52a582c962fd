package io.micromodels.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Crafted Java-serialisation payloads of the kind a hostile model file can carry. */
final class Payloads {
    private Payloads() {
    }

    /**
     * Nested {@code HashSet}s (the "SerialDOS" shape): 100 levels of two sets each containing both sets of the next
     * level, about 5 KB serialised, whose deserialisation recomputes hash codes some 2^100 times.
     */
    static byte[] hashSetBomb() throws IOException {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("foo");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return serialise(root);
    }

    /** An {@code ArrayList} where a DL4J normaliser is expected. */
    static byte[] arrayList() throws IOException {
        List<Object> list = new ArrayList<>();
        list.add("not a normaliser");
        list.add(42);
        return serialise(list);
    }

    static byte[] serialise(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }
}
