package dev.cotenant.profiler.support;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Parses a heatmap as XML: a document that is not well-formed fails here. */
public final class Svg {
  private Svg() {}

  public static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every {@code <g class="cell">} element. */
  public static List<Element> cells(Document doc) {
    List<Element> cells = new ArrayList<>();
    NodeList groups = doc.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if ("cell".equals(g.getAttribute("class"))) {
        cells.add(g);
      }
    }
    return cells;
  }

  /** The hover title of every cell, in document order. */
  public static List<String> cellTitles(String svg) throws Exception {
    return cells(parse(svg)).stream()
        .map(g -> g.getElementsByTagName("title").item(0).getTextContent())
        .toList();
  }
}
