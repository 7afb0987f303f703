package dev.cotenant.testsupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Value;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * fabric8's CRUD dispatcher with the by-key lookup of a real API server. The superclass answers
 * every request that names one object by matching the query against every stored object ({@code
 * findResource} for POST/PUT/PATCH, its private {@code handle} for GET), which makes a store of
 * thousands of pods cost a core. This class files each stored key under (resource plural, name,
 * namespace) and answers those requests from the few keys filed there, with the superclass's own
 * matching on them, so the answers are the same; everything else (lists, selectors, watches,
 * deletes) stays the superclass's.
 *
 * <p>Requests change the store ({@link #map}) only through {@link #processEvent}, which the
 * superclass calls with its write lock held (and {@link #handleDelete} on the API's one thread);
 * the index changes there as well, under this class's lock, which readers of the index take.
 * Nothing here takes the superclass's lock while holding this one, so the two cannot deadlock.
 */
class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
  private static final String NAMESPACE = KubernetesAttributesExtractor.NAMESPACE;
  private static final String NAME = KubernetesAttributesExtractor.NAME;

  /**
   * What a path naming one object yields: {@code /api(s/group)/version/namespaces/ns/plural/name}.
   */
  private static final List<String> OBJECT_KEYS =
      List.of(
          KubernetesAttributesExtractor.API,
          KubernetesAttributesExtractor.VERSION,
          PLURAL,
          NAMESPACE,
          NAME);

  /** {@link Value#equals} treats this value as equal to any other, which no index can mirror. */
  private static final String WILDCARD = "*";

  private record PluralName(String plural, String name) {}

  /** Stored keys by plural and name, then namespace (null for cluster-scoped); usually one. */
  private final Map<PluralName, Map<String, Set<AttributeSet>>> index = new HashMap<>();

  /**
   * Stored keys with several values or the wildcard in plural, name or namespace: they could match
   * queries filed elsewhere, so while any exist every lookup is the superclass's scan.
   */
  private final Set<AttributeSet> unfileable = new HashSet<>();

  private final ReadWriteLock indexLock = new ReentrantReadWriteLock();
  private final KubernetesAttributesExtractor extractor =
      (KubernetesAttributesExtractor) attributeExtractor;
  private int rebuilds;

  /** The index's answer to a query: not one it can give, or the one matching entry (or none). */
  private record Answer(boolean indexed, Map.Entry<AttributeSet, String> entry) {
    static final Answer SCAN = new Answer(false, null);
    static final Answer NONE = new Answer(true, null);
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
    Answer answer = answer(attributes);
    return answer.indexed() ? answer.entry() : super.findResource(attributes);
  }

  /** A GET of one object is answered from the index; lists and watches go to the superclass. */
  @Override
  public MockResponse handleGet(String path) {
    if (!mayBeWatch(path)) {
      Answer answer = answer(attributeExtractor.fromPath(path));
      if (answer.indexed()) {
        // As the superclass's handle() answers a query with a name.
        MockResponse response = new MockResponse();
        if (answer.entry() != null) {
          response.setBody(answer.entry().getValue());
          response.setResponseCode(HttpURLConnection.HTTP_OK);
        } else {
          response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
        }
        return response;
      }
    }
    return super.handleGet(path);
  }

  /**
   * A DELETE of one object, as the superclass's delete does it (an object with finalizers is only
   * marked, with a deletion timestamp and a new resource version; one without is removed and its
   * watchers told), found through the index instead of matching every stored object: with tens of
   * thousands of objects, that scan was most of the API's time under pod churn. Collection deletes,
   * selectors and anything the index cannot answer still go to the superclass.
   *
   * <p>This path cannot take the superclass's private lock. It does not need to: the embedded API
   * serves every request on its one event loop, so no other request runs meanwhile, and the store
   * changes only through {@link #processEvent}, as with the superclass.
   */
  @Override
  public MockResponse handleDelete(String path) {
    AttributeSet query;
    try {
      query = attributeExtractor.fromPath(path);
    } catch (RuntimeException e) {
      return super.handleDelete(path);
    }
    Answer answer = answer(query);
    if (!answer.indexed()) {
      return super.handleDelete(path);
    }
    MockResponse response = new MockResponse();
    if (answer.entry() == null) {
      return response.setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
    }
    String stored = answer.entry().getValue();
    AttributeSet key = answer.entry().getKey();
    GenericKubernetesResource resource =
        Serialization.unmarshal(stored, GenericKubernetesResource.class);
    if (resource.getFinalizers().isEmpty()) {
      processEvent(path, query, key, null, null);
    } else if (!resource.isMarkedForDeletion()) {
      resource
          .getMetadata()
          .setDeletionTimestamp(
              ZonedDateTime.now(ZoneOffset.UTC)
                  .truncatedTo(ChronoUnit.SECONDS)
                  .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
      processEvent(path, query, key, resource, Serialization.asJson(resource));
    }
    return response.setBody(stored).setResponseCode(HttpURLConnection.HTTP_OK);
  }

  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    AttributeSet newKey = null;
    if (newState != null) {
      try {
        newKey = storedKey(pathAttributes, resource, newState);
      } catch (RuntimeException e) {
        // The superclass fails the same way after removing the old key; refiled below.
      }
    }
    indexLock.writeLock().lock();
    try {
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    } finally {
      try {
        if (oldAttributes != null) {
          unfile(oldAttributes);
        }
        if (newState != null) {
          if (newKey != null && map.get(newKey) == newState) {
            file(newKey);
          } else {
            rebuilds++;
            refileAll();
          }
        }
      } finally {
        indexLock.writeLock().unlock();
      }
    }
  }

  @Override
  public void reset() {
    super.reset();
    // After the superclass's clear: anything stored since is in the map and refiled from it.
    indexLock.writeLock().lock();
    try {
      refileAll();
    } finally {
      indexLock.writeLock().unlock();
    }
  }

  /** For tests: whether the index is exactly what filing the store's keys afresh gives. */
  boolean indexAgreesWithStore() {
    indexLock.readLock().lock();
    try {
      IndexedCrudDispatcher fresh = new IndexedCrudDispatcher();
      synchronized (map) {
        map.keySet().forEach(fresh::file);
      }
      return fresh.index.equals(index) && fresh.unfileable.equals(unfileable);
    } finally {
      indexLock.readLock().unlock();
    }
  }

  /** For tests: how often a write left the index to be refiled from the whole store (never). */
  int rebuilds() {
    indexLock.readLock().lock();
    try {
      return rebuilds;
    } finally {
      indexLock.readLock().unlock();
    }
  }

  /**
   * The key the superclass's processEvent stores {@code newState} under, computed as it does. Run
   * before it: its CRD bookkeeping at the end could change what extract() gives afterwards.
   */
  private AttributeSet storedKey(
      AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
    AttributeSet key =
        resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    if (!key.containsKey(PLURAL)) {
      key = AttributeSet.merge(pathAttributes, key);
    }
    return key;
  }

  private Answer answer(AttributeSet query) {
    Attribute plural = query.getAttribute(PLURAL);
    Attribute name = query.getAttribute(NAME);
    if (plural == null || name == null || !onlyNamesAnObject(query)) {
      return Answer.SCAN;
    }
    Attribute namespace = query.getAttribute(NAMESPACE);
    Map.Entry<AttributeSet, String> found = null;
    indexLock.readLock().lock();
    try {
      if (!unfileable.isEmpty()) {
        return Answer.SCAN;
      }
      Map<String, Set<AttributeSet>> byNamespace =
          index.get(new PluralName(value(plural), value(name)));
      if (byNamespace == null) {
        return Answer.NONE;
      }
      // Without a namespace in the query, the superclass matches the name in every namespace.
      Collection<Set<AttributeSet>> candidates =
          namespace == null
              ? byNamespace.values()
              : List.of(byNamespace.getOrDefault(value(namespace), Set.of()));
      for (Set<AttributeSet> keys : candidates) {
        for (AttributeSet key : keys) {
          if (!key.matches(query)) {
            continue;
          }
          String json = map.get(key);
          if (json == null) {
            continue; // cleared by reset() and not yet refiled
          }
          if (found != null) {
            // Several match (say two API versions): the superclass picks the oldest stored.
            return Answer.SCAN;
          }
          found = new AbstractMap.SimpleImmutableEntry<>(key, json);
        }
      }
    } finally {
      indexLock.readLock().unlock();
    }
    return found == null ? Answer.NONE : new Answer(true, found);
  }

  /**
   * Whether the query is plain equality on the attributes of a path naming one object: no label or
   * field selector, nothing the index could answer differently from the superclass's scan.
   */
  private static boolean onlyNamesAnObject(AttributeSet query) {
    List<Attribute> parts = new ArrayList<>(OBJECT_KEYS.size());
    for (String key : OBJECT_KEYS) {
      Attribute attribute = query.getAttribute(key);
      if (attribute != null) {
        if (attribute.getType() != AttributeType.WITH || !single(attribute)) {
          return false;
        }
        parts.add(attribute);
      }
    }
    return new AttributeSet(parts).equals(query);
  }

  /** The superclass's detectWatchMode test; a path it cannot parse is left to the superclass. */
  private static boolean mayBeWatch(String path) {
    try {
      String query = new URI(path).getQuery();
      return query != null && query.contains("watch=true");
    } catch (URISyntaxException e) {
      return true;
    }
  }

  private void file(AttributeSet key) {
    Attribute plural = key.getAttribute(PLURAL);
    Attribute name = key.getAttribute(NAME);
    if (plural == null || name == null) {
      return; // never matches a query naming an object, which has both
    }
    Attribute namespace = key.getAttribute(NAMESPACE);
    if (!single(plural) || !single(name) || (namespace != null && !single(namespace))) {
      unfileable.add(key);
      return;
    }
    index
        .computeIfAbsent(new PluralName(value(plural), value(name)), k -> new HashMap<>())
        .computeIfAbsent(namespace == null ? null : value(namespace), k -> new LinkedHashSet<>())
        .add(key);
  }

  private void unfile(AttributeSet key) {
    if (unfileable.remove(key)) {
      return;
    }
    Attribute plural = key.getAttribute(PLURAL);
    Attribute name = key.getAttribute(NAME);
    if (plural == null || name == null || !single(plural) || !single(name)) {
      return;
    }
    Attribute namespace = key.getAttribute(NAMESPACE);
    if (namespace != null && !single(namespace)) {
      return;
    }
    PluralName slot = new PluralName(value(plural), value(name));
    Map<String, Set<AttributeSet>> byNamespace = index.get(slot);
    if (byNamespace == null) {
      return;
    }
    String ns = namespace == null ? null : value(namespace);
    Set<AttributeSet> keys = byNamespace.get(ns);
    if (keys != null && keys.remove(key) && keys.isEmpty()) {
      byNamespace.remove(ns);
      if (byNamespace.isEmpty()) {
        index.remove(slot);
      }
    }
  }

  private void refileAll() {
    index.clear();
    unfileable.clear();
    synchronized (map) {
      map.keySet().forEach(this::file);
    }
  }

  /** One value and not the wildcard: then {@link Attribute#equals} is equality of that string. */
  private static boolean single(Attribute attribute) {
    List<Value> values = attribute.getValues();
    return values.size() == 1 && !Objects.equals(WILDCARD, values.get(0).toString());
  }

  private static String value(Attribute attribute) {
    return attribute.getValues().get(0).toString();
  }
}
