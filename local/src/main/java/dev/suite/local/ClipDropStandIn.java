package dev.suite.local;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Stands in for ClipDrop's text-to-image API when no key is configured: same request (multipart prompt,
 * x-api-key), same answer type (image/png), a real 512x512 PNG drawn from the prompt.
 */
final class ClipDropStandIn {
    static final String PATH = "/_local/clipdrop/text-to-image/v1";

    private ClipDropStandIn() {}

    /** Status and body for a request; 400 without a prompt, 401 without a key, as ClipDrop answers. */
    static RestGateway.HttpResponse handle(String apiKey, String contentType, byte[] body) {
        if (apiKey == null || apiKey.isBlank()) {
            return new RestGateway.HttpResponse(
                    401,
                    Map.of("Content-Type", "application/json"),
                    "{\"error\":\"Missing API key\"}".getBytes(StandardCharsets.UTF_8));
        }
        String prompt = prompt(contentType, body);
        if (prompt == null || prompt.isBlank() || prompt.length() > 1000) {
            return new RestGateway.HttpResponse(
                    400,
                    Map.of("Content-Type", "application/json"),
                    "{\"error\":\"prompt is required (1-1000 characters)\"}".getBytes(StandardCharsets.UTF_8));
        }
        return new RestGateway.HttpResponse(
                200, Map.of("Content-Type", "image/png", "x-remaining-credits", "999"), draw(prompt));
    }

    static String prompt(String contentType, byte[] body) {
        if (contentType == null || !contentType.contains("boundary=")) {
            return null;
        }
        String boundary = "--"
                + contentType
                        .substring(contentType.indexOf("boundary=") + 9)
                        .replace("\"", "")
                        .trim();
        String text = new String(body, StandardCharsets.UTF_8);
        for (String part : text.split(Pattern.quote(boundary))) {
            if (part.contains("name=\"prompt\"")) {
                int start = part.indexOf("\r\n\r\n");
                if (start < 0) {
                    return null;
                }
                String value = part.substring(start + 4);
                return value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value;
            }
        }
        return null;
    }

    static byte[] draw(String prompt) {
        int h = prompt.hashCode();
        BufferedImage img = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Color a = Color.getHSBColor((h & 0xff) / 255f, 0.55f, 0.95f);
        Color b = Color.getHSBColor(((h >> 8) & 0xff) / 255f, 0.65f, 0.45f);
        g.setPaint(new GradientPaint(0, 0, a, 512, 512, b));
        g.fillRect(0, 0, 512, 512);
        for (int i = 0; i < 6; i++) {
            int x = Math.floorMod(h * (i + 3), 460);
            int y = Math.floorMod(h * (i + 7) >> 3, 460);
            g.setColor(new Color(255, 255, 255, 40 + i * 10));
            g.fillOval(x, y, 40 + i * 12, 40 + i * 12);
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        int y = 380;
        for (String line : wrap(prompt, 36)) {
            g.drawString(line, 24, y);
            y += 28;
            if (y > 490) {
                break;
            }
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() + word.length() + 1 > width && line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
