package io.micromodels.kernel;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * The Micromodels Java kernel: a Jupyter kernel (on JJava's protocol library, {@code jjava-jupyter}) that evaluates
 * each cell with the JDK's JShell in the kernel's own JVM, with the project's jars on the class path.
 *
 * <p>A cell is split into JShell snippets and run top to bottom; variables, methods and classes persist between cells.
 * {@code System.out} and {@code System.err} are streamed while the cell runs. The value of a cell's last expression is
 * shown: a {@link java.awt.image.RenderedImage}, an explain figure or a chart as a PNG, {@code Metrics} as an HTML
 * table, anything else as its {@code toString()}; {@link Display} shows more from anywhere in a cell. A failing cell
 * shows one error (exception class, message, causes and the frames in the cell's own code; or the compiler's
 * message with the offending line) and later cells still run. Completion and inspection come from JShell's source
 * analysis. An interrupt stops the running cell (see {@link CellExecutionControl#stop()}); shutdown and restart end
 * the process, the front end starts a new one.
 */
public final class MicromodelsKernel extends BaseKernel {
    /** The imports every notebook starts with (JShell's own default imports, and {@link Display}). */
    static final List<String> STARTUP_IMPORTS = List.of(
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.util.*;", "import java.util.concurrent.*;", "import java.util.function.*;",
            "import java.util.regex.*;", "import java.util.stream.*;", "import io.micromodels.kernel.Display;");

    private final JShell shell;
    private final CellEngine engine;
    private final SourceCodeAnalysis analysis;
    private final KernelIO kernelIO;
    private final PrintStream cellOut;
    private final PrintStream cellErr;
    private volatile boolean interrupted;

    private MicromodelsKernel(KernelIO io, JShell shell, CellEngine engine) {
        super("micromodels-java", Version.VALUE,
                new LanguageInfo.Builder("java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                        .fileExtension(".jshell").pygments("java").codemirror("java").build(),
                List.of(new HelpLink("Micromodels README", "https://github.com/micromodels/micromodels#readme")),
                null, io, new CommManager(), new Renderer(), null, new MagicsRegistry(), false,
                new StringStyler.Builder().addPrimaryStyle(TextColor.BOLD_RESET_FG).addSecondaryStyle(TextColor.BOLD_RED_FG)
                        .addHighlightStyle(TextColor.BOLD_RESET_FG).addHighlightStyle(TextColor.RED_BG).build());
        this.kernelIO = io;
        this.shell = shell;
        this.engine = engine;
        this.analysis = shell.sourceCodeAnalysis();
        this.cellOut = new PrintStream(new CellOutputStream(io.out), false, StandardCharsets.UTF_8);
        this.cellErr = new PrintStream(new CellOutputStream(io.err), false, StandardCharsets.UTF_8);
    }

    /** A kernel whose cells see this JVM's class path (the project's jars when started from the kernelspec). */
    public static MicromodelsKernel create() {
        CellEngine engine = new CellEngine(MicromodelsKernel.class.getClassLoader());
        JShell shell = JShell.builder().executionEngine(engine, Map.of()).build();
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isBlank()) {
            shell.addToClasspath(classPath);
        }
        MicromodelsKernel kernel = new MicromodelsKernel(new KernelIO(), shell, engine);
        for (String imp : STARTUP_IMPORTS) {
            kernel.evalRaw(imp);
        }
        return kernel;
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        int count = executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(request.getCode(), count));
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        System.setOut(cellOut);
        System.setErr(cellErr);
        System.setIn(kernelIO.in);
        kernelIO.attach(env, request.isStdinEnabled());
        env.defer(() -> {
            kernelIO.detach(env);
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        });
        try {
            DisplayData out = eval(request.getCode());
            cellOut.flush();
            cellErr.flush();
            if (out != null) {
                env.publish(new PublishExecuteResult(count, out));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (RuntimeException e) {
            cellOut.flush();
            cellErr.flush();
            CellError error = e instanceof CellError ce ? ce : unexpected(e);
            ErrorReply reply = new ErrorReply(error.name(), error.getMessage(), error.traceback());
            reply.setExecutionCount(count);
            env.publish(new PublishError(error.name(), error.getMessage(), error.traceback()));
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    @Override
    public DisplayData eval(String code) {
        Object value = evalRaw(code);
        if (value == null) {
            return null;
        }
        DisplayData rich = Display.toDisplayData(value);
        return rich != null ? rich : getRenderer().render(value);
    }

    /** Runs every snippet of a cell; returns the value of the last one if it is an expression, else null. */
    @Override
    public Object evalRaw(String code) {
        interrupted = false;
        engine.control().clearValues();
        Object last = null;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String source = info.completeness().isComplete() ? info.source() : rest;
            rest = info.completeness().isComplete() ? info.remaining() : "";
            if (interrupted) {
                throw new CellError("Interrupted", "the cell was interrupted", List.of("Interrupted: the cell was interrupted"));
            }
            last = evalSnippet(source);
        }
        return last;
    }

    private Object evalSnippet(String source) {
        List<SnippetEvent> events = shell.eval(source);
        Object value = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue; // a dependent snippet updated by this one
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                throw compilationError(snippet);
            }
            if (event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED && snippet instanceof DeclarationSnippet d) {
                throw unresolved(d);
            }
            JShellException failure = event.exception();
            if (failure != null) {
                throw runtimeError(failure);
            }
            value = null;
            if (event.value() != null && snippet.subKind().isExecutable()) {
                Object v = engine.control().takeValue(event.value());
                switch (snippet.subKind()) {
                    case OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND -> value = v;
                    default -> value = null;
                }
            }
        }
        return value;
    }

    private CellError compilationError(Snippet snippet) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : shell.diagnostics(snippet).collect(Collectors.toList())) {
            if (!d.isError()) {
                continue;
            }
            String msg = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = msg.lines().findFirst().orElse(msg);
            }
            List<String> msgLines = msg.lines().filter(l -> !l.trim().startsWith("location:")).toList();
            for (int i = 0; i < msgLines.size(); i++) {
                lines.add(i == 0 ? "error: " + msgLines.get(i) : "       " + msgLines.get(i).strip());
            }
            lines.addAll(pointAt(snippet.source(), (int) d.getStartPosition(), (int) d.getEndPosition()));
        }
        if (first == null) {
            first = "the snippet could not be compiled";
            lines.add(first);
            lines.addAll(snippet.source().lines().toList());
        }
        return new CellError("CompilationError", first, lines);
    }

    /** The source line holding [start, end) and a caret line under that span. */
    private static List<String> pointAt(String source, int start, int end) {
        if (start < 0 || start > source.length()) {
            return List.of();
        }
        int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
        if (start == 0) {
            lineStart = 0;
        }
        int lineEnd = source.indexOf('\n', start);
        if (lineEnd < 0) {
            lineEnd = source.length();
        }
        String line = source.substring(lineStart, lineEnd);
        int width = Math.max(1, Math.min(end, lineEnd) - start);
        return List.of("    " + line, "    " + " ".repeat(start - lineStart) + "^".repeat(width));
    }

    private CellError unresolved(DeclarationSnippet snippet) {
        List<String> missing = shell.unresolvedDependencies(snippet).collect(Collectors.toList());
        String msg = snippet.name() + " cannot be used until these are defined: " + String.join(", ", missing);
        return new CellError("CompilationError", msg, List.of("error: " + msg));
    }

    private CellError runtimeError(JShellException failure) {
        if (failure instanceof UnresolvedReferenceException ure) {
            return unresolved(ure.getSnippet());
        }
        if (failure instanceof EvalException ee) {
            if (CellExecutionControl.INTERRUPTED.equals(ee.getExceptionClassName())) {
                return new CellError("Interrupted", "the cell was interrupted", List.of("Interrupted: the cell was interrupted"));
            }
            Throwable real = engine.control().lastFailure();
            if (real != null && real.getClass().getName().equals(ee.getExceptionClassName())) {
                return describe(real);
            }
            String name = ee.getExceptionClassName();
            return new CellError(name.substring(name.lastIndexOf('.') + 1), String.valueOf(ee.getMessage()),
                    List.of(name + ": " + ee.getMessage()));
        }
        return describe(failure);
    }

    /** One readable error: the exception and each cause on one line, with the frames in cells and project code. */
    static CellError describe(Throwable t) {
        List<String> lines = new ArrayList<>();
        Throwable cur = t;
        for (int depth = 0; cur != null && depth < 8; depth++, cur = cur.getCause()) {
            lines.add((depth == 0 ? "" : "Caused by: ") + cur.getClass().getName()
                    + (cur.getMessage() == null ? "" : ": " + cur.getMessage()));
            int shown = 0;
            for (StackTraceElement f : cur.getStackTrace()) {
                if (shown < 4 && isUserFrame(f)) {
                    lines.add("    at " + frame(f));
                    shown++;
                }
            }
            if (cur.getCause() == cur) {
                break;
            }
        }
        String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        return new CellError(t.getClass().getSimpleName(), message, lines);
    }

    private static boolean isUserFrame(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("REPL.") || (c.startsWith("io.micromodels.") && !c.startsWith("io.micromodels.kernel."));
    }

    private static String frame(StackTraceElement f) {
        if (f.getClassName().startsWith("REPL.")) {
            // JShell's wrapper classes: their line numbers are not the cell's, so only the method is named.
            return f.getMethodName().equals("do_it$") ? "the cell" : f.getMethodName() + " (defined in a cell)";
        }
        return f.toString();
    }

    private static CellError unexpected(RuntimeException e) {
        return describe(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        Located loc = locate(code, at);
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(loc.text(), at - loc.start(), extraDetail);
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            sb.append(d.signature()).append('\n');
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                sb.append(d.javadoc()).append('\n');
            }
        }
        return new DisplayData(sb.toString().strip());
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        Located loc = locate(code, at);
        int[] anchor = new int[1];
        List<String> options = analysis.completionSuggestions(loc.text(), at - loc.start(), anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().collect(Collectors.toList());
        return new ReplacementOptions(options, loc.start() + anchor[0], at);
    }

    private record Located(int start, String text) {
    }

    /** The snippet of a cell that holds position {@code at}, and where it starts in the cell. */
    private Located locate(String code, int at) {
        int start = 0;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                break;
            }
            int end = code.length() - info.remaining().length();
            if (at <= end) {
                return new Located(start, code.substring(start, Math.max(start, Math.min(at, code.length()))));
            }
            start = end;
            rest = info.remaining();
        }
        return new Located(start, code.substring(start, Math.max(start, Math.min(at, code.length()))));
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case UNKNOWN -> IS_COMPLETE_BAD;
            case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> IS_COMPLETE_YES;
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> indentOf(info.remaining());
        };
    }

    private static String indentOf(String partial) {
        String last = partial.substring(partial.lastIndexOf('\n') + 1);
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        long open = last.chars().filter(c -> c == '{' || c == '(').count() - last.chars().filter(c -> c == '}' || c == ')').count();
        return open > 0 ? indent + "    " : indent;
    }

    /** Stops the running cell (the front end's interrupt): the rest of the cell is skipped. */
    @Override
    public void interrupt() {
        interrupted = true;
        shell.stop();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        super.onShutdown(isRestarting);
        shell.close();
    }
}
