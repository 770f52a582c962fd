package io.micromodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's packages depend one way: reading every module's main sources (import lines and fully qualified
 * names in code, comments left out), the package graph has no cycle.
 */
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** A project type named in code: lower-case package parts, then a capitalised type name. */
    private static final Pattern REFERENCE = Pattern.compile("(?<![\\w.])(io\\.micromodels(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    /** Cycles still being removed: none left. */
    private static final Set<Set<String>> KNOWN = Set.of();

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        int files = 0;
        try (Stream<Path> modules = Files.list(TestPaths.root())) {
            for (Path module : modules.sorted().toList()) {
                Path src = module.resolve("src/main/java");
                if (!Files.isDirectory(src)) {
                    continue;
                }
                try (Stream<Path> sources = Files.walk(src)) {
                    for (Path f : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                        add(graph, Files.readString(f));
                        files++;
                    }
                }
            }
        }
        assertTrue(files > 100 && graph.containsKey("io.micromodels.train"), "read the sources: " + files + " files");
        List<Set<String>> cycles = new ArrayList<>(cycles(graph));
        cycles.removeAll(KNOWN);
        assertEquals(List.of(), cycles, "packages that import each other (directly or through others)");
    }

    @Test
    void findsACycleThroughThreePackages() {
        Map<String, Set<String>> g = new TreeMap<>();
        add(g, "package a.b;\nimport io.micromodels.c.X;\n");
        add(g, "package io.micromodels.c;\n/* io.micromodels.a.Ignored */ class X { io.micromodels.d.Y y; }\n");
        add(g, "package io.micromodels.d;\n// import io.micromodels.c.X;\nclass Y { io.micromodels.e.Z z; }\n");
        add(g, "package io.micromodels.e;\nimport io.micromodels.c.X;\n");
        assertEquals(List.of(Set.of("io.micromodels.c", "io.micromodels.d", "io.micromodels.e")), cycles(g));
    }

    private static void add(Map<String, Set<String>> graph, String source) {
        Matcher p = PACKAGE.matcher(source);
        if (!p.find()) {
            return;
        }
        String pkg = p.group(1);
        String code = code(source);
        Set<String> out = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(code.substring(code.indexOf(';') + 1));
        while (m.find()) {
            if (!m.group(1).equals(pkg)) {
                out.add(m.group(1));
            }
        }
    }

    /** The source without comments and with empty string and character literals (a scan, not a regex: files are long). */
    private static String code(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int end = s.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '"' || c == '\'') {
                boolean block = c == '"' && s.startsWith("\"\"\"", i);
                int j = i + (block ? 3 : 1);
                while (j < n && !(block ? s.startsWith("\"\"\"", j) : s.charAt(j) == c)) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = Math.min(n, j + (block ? 3 : 1));
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Strongly connected components of more than one package (Tarjan), each as a set, in discovery order. */
    private static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
