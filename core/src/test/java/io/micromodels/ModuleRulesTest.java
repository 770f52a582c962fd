package io.micromodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module rules, read from the sources: {@code core} is a library a service embeds, so its main sources use no
 * command line (picocli), no charts (JFreeChart) and no AWT or Swing, and do not set {@code java.awt.headless}; its
 * pom has no picocli, JFreeChart, JDBC driver or Spark dependency (database storage is the storage-jdbc module, Spark the
 * spark module); no module's main sources reach a project class by reflection
 * ({@code Class.forName} or {@code loadClass} of an {@code io.micromodels} class name): modules depend on each other
 * through their poms. The optimiser's own rule ({@code tune.bayes} has no ND4J, DL4J or Arbiter) is
 * {@code io.micromodels.tune.bayes.PackageRulesTest}.
 */
class ModuleRulesTest {
    /** A type of the application side named in code: picocli, JFreeChart, AWT, Swing. */
    static final Pattern APPLICATION = Pattern.compile("(?<![\\w.])(picocli|org\\.jfree|java\\.awt|javax\\.swing)\\.\\w");
    static final Pattern REFLECTION = Pattern.compile("\\bClass\\s*\\.\\s*forName\\s*\\(|\\.\\s*loadClass\\s*\\(");
    static final Pattern PROJECT_CLASS_NAME = Pattern.compile("\"io\\.micromodels\\.(?:[a-z]\\w*\\.)*[A-Z]\\w*\"");

    @Test
    void coreUsesNoCommandLineChartsOrAwt() throws IOException {
        List<Path> sources = javaFiles(TestPaths.core("src/main/java"));
        assertTrue(sources.size() > 100, "read core's sources: " + sources.size());
        List<String> found = new ArrayList<>();
        for (Path f : sources) {
            found.addAll(applicationUses(TestPaths.root().relativize(f).toString(), Files.readString(f)));
        }
        assertEquals(List.of(), found, "core is a library: the command line, plots and AWT live in app and plots");
    }

    @Test
    void noModuleReachesAProjectClassByReflection() throws IOException {
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> modules = Files.list(TestPaths.root())) {
            for (Path module : modules.sorted().toList()) {
                for (Path f : javaFiles(module.resolve("src/main/java"))) {
                    found.addAll(reflectiveUses(TestPaths.root().relativize(f).toString(), Files.readString(f)));
                    files++;
                }
            }
        }
        assertTrue(files > 200, "read every module's sources: " + files);
        assertEquals(List.of(), found, "modules depend on each other through their poms, not by class name");
    }

    @Test
    void corePomHasNoCommandLineOrChartDependency() throws IOException {
        String pom = Files.readString(TestPaths.core("pom.xml"));
        assertEquals(List.of(), forbiddenDependencies(pom), "core/pom.xml");
    }

    // The checks on made-up sources: each rule finds what it is meant to find, and only that.

    @Test
    void findsApplicationTypesInImportsAndCodeButNotInComments() {
        String source = """
                package io.micromodels.x;
                import java.awt.Color;
                import picocli.CommandLine;
                /** Draw with {@link org.jfree.chart.JFreeChart}; java.awt.headless is set by the app. */
                class X {
                    // javax.swing.JFrame in a comment is fine
                    Object o = new javax.swing.JPanel();
                    String s = "org.jfree.chart in a string is not a use";
                    static { System.setProperty("java.awt.headless", "true"); }
                    java.util.List<String> fine;
                }
                """;
        assertEquals(List.of("X.java:2: java.awt.", "X.java:3: picocli.", "X.java:7: javax.swing.",
                "X.java:9: sets java.awt.headless"), applicationUses("X.java", source));
    }

    @Test
    void findsReflectiveUseOfProjectClassesOnly() {
        String bad = """
                class B {
                    static final String MAIN = "io.micromodels.bench.BenchMain";
                    Object m() throws Exception { return Class.forName(MAIN).getMethod("run"); }
                }
                """;
        assertEquals(List.of("B.java: Class.forName with \"io.micromodels.bench.BenchMain\""), reflectiveUses("B.java", bad));
        String loader = "class L { Object m(ClassLoader c) throws Exception { return c.loadClass(\"io.micromodels.kernel.KernelCli\"); } }";
        assertEquals(1, reflectiveUses("L.java", loader).size());
        String backend = "class C { Object m() throws Exception { return Class.forName(\"org.nd4j.linalg.jcublas.JCublasBackend\"); } }";
        assertEquals(List.of(), reflectiveUses("C.java", backend), "a third-party class is not a module dependency");
        String names = "class N { boolean m(Throwable t) { return t.getClass().getName().equals(\"io.micromodels.data.DataException\"); } }";
        assertEquals(List.of(), reflectiveUses("N.java", names), "comparing names loads nothing");
    }

    @Test
    void findsForbiddenDependenciesButNotCommentedOnes() {
        String pom = """
                <dependencies>
                  <!-- <dependency><groupId>info.picocli</groupId><artifactId>picocli</artifactId></dependency> -->
                  <dependency><groupId>org.jfree</groupId><artifactId>jfreechart</artifactId></dependency>
                  <dependency><groupId>org.ejml</groupId><artifactId>ejml-ddense</artifactId></dependency>
                  <dependency><groupId>org.apache.spark</groupId><artifactId>spark-core_2.12</artifactId></dependency>
                  <!-- <dependency><groupId>org.xerial</groupId><artifactId>sqlite-jdbc</artifactId></dependency> -->
                </dependencies>
                """;
        assertEquals(List.of("jfreechart", "org.apache.spark"), forbiddenDependencies(pom));
    }

    // ---------------------------------------------------------------- the rules

    /** "file:line: what" for each application type named in code, and for each setting of java.awt.headless. */
    static List<String> applicationUses(String file, String source) {
        List<String> found = new ArrayList<>();
        String[] code = withoutComments(source, false).split("\n", -1);
        String[] codeAndStrings = withoutComments(source, true).split("\n", -1);
        for (int i = 0; i < code.length; i++) {
            Matcher m = APPLICATION.matcher(code[i]);
            while (m.find()) {
                found.add(file + ":" + (i + 1) + ": " + m.group(1) + ".");
            }
            if (codeAndStrings[i].contains("\"java.awt.headless\"")) {
                found.add(file + ":" + (i + 1) + ": sets java.awt.headless");
            }
        }
        return found;
    }

    /** "file: call with name" when the code loads a class by name and names a project class in a string. */
    static List<String> reflectiveUses(String file, String source) {
        String code = withoutComments(source, true);
        Matcher call = REFLECTION.matcher(code);
        if (!call.find()) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        Matcher name = PROJECT_CLASS_NAME.matcher(code);
        String what = call.group().contains("forName") ? "Class.forName" : "loadClass";
        while (name.find()) {
            found.add(file + ": " + what + " with " + name.group());
        }
        return found;
    }

    /**
     * The artifactIds of picocli, JFreeChart and the JDBC drivers (storage-jdbc's) that the pom names outside comments,
     * and {@code org.apache.spark} for any Spark artifact (the spark module's).
     */
    static List<String> forbiddenDependencies(String pom) {
        String text = pom.replaceAll("(?s)<!--.*?-->", "");
        List<String> found = new ArrayList<>();
        for (String artifact : List.of("picocli", "jfreechart", "sqlite-jdbc", "postgresql")) {
            if (text.contains("<artifactId>" + artifact + "</artifactId>")) {
                found.add(artifact);
            }
        }
        if (text.contains("<groupId>org.apache.spark</groupId>")) {
            found.add("org.apache.spark");
        }
        return found;
    }

    /**
     * The source with comments blanked (line breaks kept, so line numbers hold) and, unless {@code keepStrings}, the
     * contents of string and character literals blanked too. Text blocks count as strings.
     */
    static String withoutComments(String s, boolean keepStrings) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
                for (int k = i; k < end; k++) if (s.charAt(k) == '\n') out.append('\n');
                i = end;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                for (int k = i; k < end; k++) {
                    char d = s.charAt(k);
                    out.append(keepStrings || d == '\n' || d == '"' ? d : ' ');
                }
                i = end;
            } else if (c == '"' || c == '\'') {
                int k = i + 1;
                while (k < s.length() && s.charAt(k) != c && s.charAt(k) != '\n') {
                    if (s.charAt(k) == '\\') k++;
                    k++;
                }
                int end = Math.min(s.length(), k + 1);
                out.append(c);
                for (int j = i + 1; j < end - 1; j++) out.append(keepStrings ? s.charAt(j) : ' ');
                if (end - 1 > i) out.append(s.charAt(end - 1));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
