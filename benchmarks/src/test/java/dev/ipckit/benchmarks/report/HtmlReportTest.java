package dev.ipckit.benchmarks.report;

import dev.ipckit.benchmarks.LatencyCurve;
import dev.ipckit.benchmarks.ResultRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report of synthetic rows (nothing is measured), opened in a real headless Chromium: skipped, not failed,
 * where {@code /usr/bin/chromium} is missing ({@code .ci/run} installs it).
 */
class HtmlReportTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long BROWSER_SECONDS = 120;

    @TempDir
    Path directory;

    @Test
    void thePageIsSelfContained()
    {
        final String html = html();
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("src="), "no external image or script");
        assertFalse(html.contains("href="), "no stylesheet or link");
        assertFalse(html.contains("url("), "no font or image in the CSS");
        assertFalse(html.contains("@import"), "no imported CSS");
        assertFalse(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").contains("http"), "no network address");
        assertTrue(html.contains("Test CPU 9000 &lt;&quot;quoted&quot; &amp; \\ back&gt;"), "machine text escaped");
        assertTrue(html.contains("key 3 holds &lt;null&gt;"), "notes escaped");
    }

    @Test
    @Timeout(BROWSER_SECONDS + 60)
    void aHeadlessBrowserRendersTheTableAndTheCharts() throws Exception
    {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing (apt-get install chromium)");
        final Report report = Synthetic.report(1);
        final Path page = directory.resolve("report.html");
        Files.writeString(page, html(), StandardCharsets.UTF_8);

        final String dom = chromium("--dump-dom", page.toUri().toString());
        final List<ResultRow> rows = report.rows();
        assertEquals(rows.size(), count(dom, "<tr><td>"), "one table row per report row");
        assertTrue(dom.contains("<td class=\"num\" data-id=\"pipe.journal.rtt.p50\" title=\"pipe.journal.rtt.p50\">" +
            "0.501</td>"), "figures carry their ids");
        final long curveCharts = rows.stream().filter(row -> !row.curves().isEmpty()).count();
        final long barCharts = rows.stream()
            .filter(row -> row.better() == ResultRow.Better.HIGHER && row.unit().endsWith("/s")).count();
        assertEquals(2, curveCharts);
        assertEquals(4, barCharts);
        assertEquals(curveCharts, count(dom, "data-chart=\"latency\""));
        assertEquals(barCharts, count(dom, "data-chart=\"throughput\""));
        assertEquals(curveCharts + barCharts, count(dom, "<svg "));
        assertEquals(5, count(dom, "<polyline class=\"curve\""), "4 variants of the pipe and the floor");
        assertEquals(5 * (LatencyCurve.PERCENTILES.length - 1), countCircles(dom), "the points p0..p99.99 of every curve");
        assertTrue(dom.contains("class=\"failed\">FAILED manager"), "failures are shown");
        assertFalse(dom.contains("parsererror"), "no parse error");

        final Path png = directory.resolve("report.png");
        chromium("--screenshot=" + png, "--window-size=1200,2000", page.toUri().toString());
        keep(page, png);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        // The ipckit curve and bars are drawn in #1f6feb, which nothing but a rendered SVG paints.
        assertTrue(pixels(image, 0x1f6feb) > 500, "the charts are painted: " + pixels(image, 0x1f6feb));
        assertTrue(pixels(image, 0x2b8a3e) > 100, "Python's curve and bars are painted");
    }

    /**
     * {@code -Dipckit.html.keep=DIR} keeps the page and its screenshot there, to look at.
     */
    private static void keep(final Path page, final Path png) throws IOException
    {
        final String keep = System.getProperty("ipckit.html.keep");
        if (keep != null && !keep.isBlank())
        {
            Files.copy(page, Path.of(keep, "report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(png, Path.of(keep, "report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String html()
    {
        final Report report = Synthetic.report(1);
        return HtmlReport.render(report.results("1.00 2.00 3.00", Duration.ofSeconds(95)), report.rows(),
            report.notes());
    }

    private String chromium(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
            "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + Files.createTempDirectory(directory, "chromium-profile")));
        command.addAll(List.of(args));
        final Path stdout = Files.createTempFile(directory, "chromium", ".out");
        final Path stderr = Files.createTempFile(directory, "chromium", ".err");
        final Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile()).start();
        if (!process.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish within " + BROWSER_SECONDS + " s: " +
                Files.readString(stderr));
        }
        assertEquals(0, process.exitValue(), () -> "chromium failed: " + readQuietly(stderr));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static long count(final String text, final String part)
    {
        long count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length()))
        {
            count++;
        }
        return count;
    }

    private static long countCircles(final String dom)
    {
        final Matcher matcher = Pattern.compile("<circle ").matcher(dom);
        long count = 0;
        while (matcher.find())
        {
            count++;
        }
        return count;
    }

    private static long pixels(final BufferedImage image, final int rgb)
    {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                final int pixel = image.getRGB(x, y);
                if (close(pixel >> 16, rgb >> 16) && close(pixel >> 8, rgb >> 8) && close(pixel, rgb))
                {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean close(final int a, final int b)
    {
        return Math.abs((a & 0xff) - (b & 0xff)) <= 12;
    }
}
