package io.micromodels.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV reader behind {@link Table}: RFC 4180 plus what real files contain.
 *
 * <p>Why not DataVec's {@code CSVRecordReader}: it is a {@code LineRecordReader}, so a quoted field containing a line
 * break is split into two records; it keeps a UTF-8 byte-order mark as part of the first header name
 * ({@code "\uFEFFdate"}); it does not check that every row has the header's number of fields; and its errors carry no
 * file name or line number. Those are exactly the shapes this project must parse or reject clearly, so this small
 * reader does the parsing and the rest of the pipeline runs on DataVec.
 *
 * <p>Rules: a leading UTF-8 BOM is skipped; records end at LF, CRLF or CR; fields are separated by the configured
 * character; a field starting with {@code "} is quoted: separators and line breaks inside are literal and {@code ""} is
 * one quote; a quote inside an unquoted field is literal ({@code 5'10"}); completely empty lines are skipped (so a
 * trailing newline or blank lines at the end are fine). Every record keeps the 1-based line number where it starts.
 */
final class CsvParser {
    private CsvParser() {
    }

    /** Decodes strict UTF-8; a malformed byte is a {@link DataException} naming the source and byte offset. */
    static String decodeUtf8(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(source + ": not valid UTF-8 near byte " + in.position()
                    + " (save the file as UTF-8)");
        }
    }

    /**
     * Parses a whole CSV text into a table; header names are stripped of surrounding whitespace. Data cells go straight
     * into a {@link CellStore} (no string per cell).
     */
    static Table parse(String text, String source, char separator) {
        int n = text.length();
        int pos = 0;
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            pos = 1;
        }
        int line = 1;
        List<String> header = null;
        CellStore.Builder cells = null;
        int[] lines = new int[16];
        int rows = 0;
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        while (pos < n) {
            int recordLine = line;
            boolean data = header != null;
            fields.clear();
            int count = 0;
            boolean anyQuoted = false;
            boolean lastEmpty = false;
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (pos < n && text.charAt(pos) == '"') {
                    anyQuoted = true;
                    int quoteLine = line;
                    pos++;
                    sb.setLength(0);
                    while (true) {
                        if (pos >= n) {
                            throw new DataException(source + ": line " + quoteLine + ", column " + (count + 1)
                                    + ": a quoted field is never closed (missing closing \")");
                        }
                        char c = text.charAt(pos);
                        if (c == '"') {
                            if (pos + 1 < n && text.charAt(pos + 1) == '"') {
                                if (data) {
                                    cells.append('"');
                                } else {
                                    sb.append('"');
                                }
                                pos += 2;
                                continue;
                            }
                            pos++;
                            break;
                        }
                        if (c == '\n' || (c == '\r' && (pos + 1 >= n || text.charAt(pos + 1) != '\n'))) {
                            line++;
                        }
                        if (data) {
                            cells.append(c);
                        } else {
                            sb.append(c);
                        }
                        pos++;
                    }
                    // Only blanks may sit between a closing quote and the separator or line end.
                    while (pos < n && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t') && text.charAt(pos) != separator) {
                        pos++;
                    }
                    if (pos < n && text.charAt(pos) != separator && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                        throw new DataException(source + ": line " + line + ", column " + (count + 1)
                                + ": unexpected character '" + text.charAt(pos) + "' after a closing quote (expected "
                                + DataOptions.printable(separator) + " or end of line; write a quote inside a quoted field as \"\")");
                    }
                    if (data) {
                        cells.endCell();
                    } else {
                        fields.add(sb.toString());
                    }
                    count++;
                    lastEmpty = false;
                } else {
                    int start = pos;
                    while (pos < n) {
                        char c = text.charAt(pos);
                        if (c == separator || c == '\n' || c == '\r') {
                            break;
                        }
                        pos++;
                    }
                    if (data) {
                        cells.append(text, start, pos);
                        cells.endCell();
                    } else {
                        fields.add(text.substring(start, pos));
                    }
                    count++;
                    lastEmpty = pos == start;
                }
                if (pos >= n) {
                    endOfRecord = true;
                } else {
                    char c = text.charAt(pos);
                    if (c == separator) {
                        pos++;
                        if (pos >= n) {
                            if (data) {
                                cells.endCell();
                            } else {
                                fields.add("");
                            }
                            count++;
                            lastEmpty = true;
                            endOfRecord = true;
                        }
                    } else {
                        pos++;
                        if (c == '\r' && pos < n && text.charAt(pos) == '\n') {
                            pos++;
                        }
                        line++;
                        endOfRecord = true;
                    }
                }
            }
            if (count == 1 && !anyQuoted && lastEmpty) {
                if (data) {
                    cells.dropRow();
                }
                continue; // an empty line
            }
            if (!data) {
                header = header(fields, source, recordLine);
                cells = new CellStore.Builder(header.size(), n - pos, countLines(text, pos));
                continue;
            }
            if (count != header.size()) {
                throw new DataException(source + ": line " + recordLine + " has " + count + " column"
                        + (count == 1 ? "" : "s") + ", expected " + header.size() + " (header: "
                        + String.join(", ", header) + ")" + separatorHint(header, separator));
            }
            cells.endRow();
            if (rows == lines.length) {
                lines = Arrays.copyOf(lines, rows * 2);
            }
            lines[rows++] = recordLine;
        }
        if (header == null) {
            throw new DataException(source + ": the file is empty (expected a header row and data rows)");
        }
        if (rows == 0) {
            throw new DataException(source + ": the file has a header (" + String.join(", ", header)
                    + ") but no data rows");
        }
        return new Table(source, header, cells.build(), Arrays.copyOf(lines, rows), separator);
    }

    /** Validates and strips the header names (line {@code line}). */
    private static List<String> header(List<String> rawHeader, String source, int line) {
        List<String> header = new ArrayList<>(rawHeader.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rawHeader.size(); i++) {
            String name = rawHeader.get(i).strip();
            if (name.isEmpty()) {
                throw new DataException(source + ": line " + line + ": header column " + (i + 1)
                        + " has no name (every column needs a name)");
            }
            Integer before = seen.put(name, i);
            if (before != null) {
                throw new DataException(source + ": line " + line + ": duplicate column name '" + name
                        + "' (columns " + (before + 1) + " and " + (i + 1) + ")");
            }
            header.add(name);
        }
        return header;
    }

    /** Line breaks from {@code from} on: a row-count hint. */
    private static int countLines(String text, int from) {
        int k = 1;
        for (int i = text.indexOf('\n', from); i >= 0; i = text.indexOf('\n', i + 1)) {
            k++;
        }
        return k;
    }

    /** A hint when the header looks split with another separator. */
    static String separatorHint(List<String> header, char separator) {
        if (header.size() != 1) {
            return "";
        }
        String h = header.get(0);
        for (char c : new char[] {';', ',', '\t', '|'}) {
            if (c != separator && h.indexOf(c) >= 0) {
                return "; the header has a single column containing " + DataOptions.printable(c)
                        + ": is the separator " + DataOptions.printable(c) + "?";
            }
        }
        return "";
    }
}
