package dev.syncbeam.transforms.providers;

import java.io.Serializable;

/**
 * Everything SyncBeam knows about one provider, exported by the provider's own package and found
 * through {@link Providers} (a ServiceLoader): adding a provider means adding a package with one of
 * these, and nothing else.
 */
public interface ProviderDescriptor extends Serializable {
  /** As used in table names, config and the unified API's headers: salesforce, hubspot, pipedrive. */
  String name();

  /** Where records sit in a response page, and which fields hold id, last-modified and deleted. */
  ProviderRecords records();

  /** How the live API is read. */
  ProviderApi<?> api();

  /** How records become unified common objects. */
  CommonObjectMapping commonObjects();

  /** How unified common objects are written to the provider (the actions API). */
  CommonObjectWrites writes();

  /** The API root when the config names none, or null where every account has its own (Salesforce's instance URL). */
  String defaultBaseUrl();

  /** Where an OAuth refresh token is exchanged for an access token, unless the config says otherwise. */
  String defaultTokenUrl();

  /** The credential an account of this provider is given by default. */
  AuthStyle authStyle();

  /** Whether the provider also takes a static API token (sent as a query parameter) besides OAuth bearer tokens. */
  default boolean acceptsApiToken() {
    return authStyle() == AuthStyle.API_TOKEN;
  }

  /**
   * What a provider package extends to export its descriptor: the parts, given once. (ServiceLoader
   * needs a class of the package's own with a no-argument constructor.)
   */
  abstract class Parts implements ProviderDescriptor {
    private final String name;
    private final ProviderRecords records;
    private final ProviderApi<?> api;
    private final CommonObjectMapping commonObjects;
    private final CommonObjectWrites writes;
    private final String defaultBaseUrl;
    private final String defaultTokenUrl;
    private final AuthStyle authStyle;

    protected Parts(String name, ProviderRecords records, ProviderApi<?> api, CommonObjectMapping commonObjects,
        CommonObjectWrites writes, String defaultBaseUrl, String defaultTokenUrl, AuthStyle authStyle) {
      this.name = name;
      this.records = records;
      this.api = api;
      this.commonObjects = commonObjects;
      this.writes = writes;
      this.defaultBaseUrl = defaultBaseUrl;
      this.defaultTokenUrl = defaultTokenUrl;
      this.authStyle = authStyle;
    }

    @Override public String name() {
      return name;
    }

    @Override public ProviderRecords records() {
      return records;
    }

    @Override public ProviderApi<?> api() {
      return api;
    }

    @Override public CommonObjectMapping commonObjects() {
      return commonObjects;
    }

    @Override public CommonObjectWrites writes() {
      return writes;
    }

    @Override public String defaultBaseUrl() {
      return defaultBaseUrl;
    }

    @Override public String defaultTokenUrl() {
      return defaultTokenUrl;
    }

    @Override public AuthStyle authStyle() {
      return authStyle;
    }
  }

  /** How requests carry credentials. */
  enum AuthStyle {
    /** {@code Authorization: Bearer <access token>} (OAuth or private-app tokens). */
    BEARER,
    /** {@code ?api_token=<token>} on every request (Pipedrive's personal API tokens). */
    API_TOKEN
  }
}
