package dev.ipckit.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A markdown table printed with aligned columns: the first column left-aligned, the others right-aligned, and lines
 * printed under it. {@link ResultTable} builds its rows on it.
 */
final class MarkdownTable
{
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /**
     * @param header the column headers.
     */
    MarkdownTable(final String... header)
    {
        this.header = header.clone();
    }

    /**
     * Adds a row.
     *
     * @param cells one cell per column.
     */
    void row(final String... cells)
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
    void note(final String note)
    {
        notes.add(note);
    }

    /**
     * Prints the table and its notes to standard output.
     */
    void print()
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
        System.out.println();
        System.out.println(line(header, widths));
        System.out.println(line(rule, widths));
        rows.forEach(row -> System.out.println(line(row, widths)));
        System.out.println();
        notes.forEach(System.out::println);
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
