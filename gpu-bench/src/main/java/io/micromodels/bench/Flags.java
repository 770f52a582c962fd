package io.micromodels.bench;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code --flag value} pairs of a benchmark's arguments, in order (a repeated flag appears twice). */
public final class Flags {
    private Flags() {
    }

    /**
     * @param args {@code --flag value ...}; {@code --help} and {@code -h} take no value
     * @return one entry per flag: its name and its value (empty for {@code --help})
     * @throws IllegalArgumentException naming the last flag when it has no value
     */
    public static List<Map.Entry<String, String>> pairs(String[] args) {
        List<Map.Entry<String, String>> out = new ArrayList<>(args.length / 2);
        int i = 0;
        while (i < args.length) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                // no value: the suite's parser refuses it as an unknown option, and its message lists the options
                out.add(new AbstractMap.SimpleImmutableEntry<>(args[i], ""));
                i += 1;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            out.add(new AbstractMap.SimpleImmutableEntry<>(args[i], args[i + 1]));
            i += 2;
        }
        return out;
    }
}
