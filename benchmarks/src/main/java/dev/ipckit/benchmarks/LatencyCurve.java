package dev.ipckit.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A latency distribution as points (percentile, latency) at {@link #PERCENTILES}, in the row's unit: what the HTML
 * report plots as a percentile curve and the JSON report keeps beside the figure.
 *
 * @param points the points, by rising percentile.
 */
public record LatencyCurve(List<Point> points)
{
    /** The percentiles kept, 0 (the smallest) to 100 (the largest). */
    public static final double[] PERCENTILES = {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    /**
     * One point.
     *
     * @param percentile the percentile, 0 to 100.
     * @param value      the latency at it.
     */
    public record Point(double percentile, double value)
    {
        /**
         * @throws IllegalArgumentException when the percentile is outside 0..100 or the value not a finite number.
         */
        public Point
        {
            if (!(percentile >= 0 && percentile <= 100) || !Double.isFinite(value))
            {
                throw new IllegalArgumentException("a curve point needs a percentile in 0..100 and a finite value: " +
                    percentile + ", " + value);
            }
        }
    }

    /**
     * @throws IllegalArgumentException when there are no points or they are not by rising percentile.
     */
    public LatencyCurve
    {
        points = List.copyOf(points);
        if (points.isEmpty())
        {
            throw new IllegalArgumentException("a curve needs points");
        }
        for (int i = 1; i < points.size(); i++)
        {
            if (points.get(i).percentile() <= points.get(i - 1).percentile())
            {
                throw new IllegalArgumentException("curve points go by rising percentile: " + points);
            }
        }
    }

    /**
     * @param histogram recorded nanoseconds.
     * @return the curve in microseconds.
     */
    public static LatencyCurve micros(final Histogram histogram)
    {
        final List<Point> points = new ArrayList<>();
        for (final double percentile : PERCENTILES)
        {
            final long nanos = percentile == 0 ? histogram.getMinValue() :
                percentile == 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
            points.add(new Point(percentile, nanos / 1e3));
        }
        return new LatencyCurve(points);
    }

    /**
     * Reads the form a Python reference prints: {@code percentile:value} pairs separated by commas.
     *
     * @param text say {@code 0:41.2,50:45.1,99:66.6}.
     * @return the curve.
     * @throws IllegalArgumentException when the text is not of that form.
     */
    public static LatencyCurve parse(final String text)
    {
        final List<Point> points = new ArrayList<>();
        for (final String pair : text.split(",", -1))
        {
            final int colon = pair.indexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException("not percentile:value pairs: '" + text + "'");
            }
            try
            {
                points.add(new Point(Double.parseDouble(pair.substring(0, colon).strip()),
                    Double.parseDouble(pair.substring(colon + 1).strip())));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not percentile:value pairs: '" + text + "'", ex);
            }
        }
        return new LatencyCurve(points);
    }

    /**
     * @param percentile a percentile among the points.
     * @return its value, NaN when the curve has no such point.
     */
    public double at(final double percentile)
    {
        return points.stream().filter(point -> point.percentile() == percentile).mapToDouble(Point::value)
            .findFirst().orElse(Double.NaN);
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        for (final Point point : points)
        {
            text.append(text.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s:%s",
                point.percentile(), point.value()));
        }
        return text.toString();
    }
}
