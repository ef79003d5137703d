package dev.ipckit.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A markdown table with aligned columns: the first column left-aligned, the others right-aligned, and lines printed
 * under it. {@link ResultTable} and the {@code ipckit bench} report build their rows on it.
 */
public final class MarkdownTable
{
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * @param header the column headers.
     */
    public MarkdownTable(final String... header)
    {
        this.header = header.clone();
    }

    /**
     * Adds a row.
     *
     * @param cells one cell per column.
     */
    public void row(final String... cells)
    {
        if (cells.length != header.length)
        {
            throw new IllegalArgumentException("a row needs " + header.length + " cells, not " + cells.length);
        }
        rows.add(cells.clone());
    }

    /**
     * Adds a line printed under the table.
     *
     * @param note the line.
     */
    public void note(final String note)
    {
        notes.add(note);
    }

    /**
     * Prints the table and its notes to standard output, after an empty line.
     */
    void print()
    {
        System.out.println();
        System.out.print(render());
    }

    /**
     * The table, an empty line and its notes, each line ending with a line separator.
     *
     * @return the table as text.
     */
    public String render()
    {
        final int[] widths = new int[header.length];
        for (int column = 0; column < header.length; column++)
        {
            widths[column] = header[column].length();
            for (final String[] row : rows)
            {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        final String[] rule = new String[header.length];
        for (int column = 0; column < header.length; column++)
        {
            rule[column] = column == 0 ? "-".repeat(widths[0]) : "-".repeat(widths[column] - 1) + ":";
        }
        final String newLine = System.lineSeparator();
        final StringBuilder text = new StringBuilder();
        text.append(line(header, widths)).append(newLine);
        text.append(line(rule, widths)).append(newLine);
        rows.forEach(row -> text.append(line(row, widths)).append(newLine));
        text.append(newLine);
        notes.forEach(note -> text.append(note).append(newLine));
        return text.toString();
    }

    private static String line(final String[] cells, final int[] widths)
    {
        final StringBuilder line = new StringBuilder("|");
        for (int column = 0; column < cells.length; column++)
        {
            final String cell = cells[column];
            final String padding = " ".repeat(widths[column] - cell.length());
            line.append(' ').append(column == 0 ? cell + padding : padding + cell).append(" |");
        }
        return line.toString();
    }
}
