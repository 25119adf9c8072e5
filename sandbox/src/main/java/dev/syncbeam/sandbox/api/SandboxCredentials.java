package dev.syncbeam.sandbox.api;

/**
 * What a reader needs to reach one (customer, provider) of the sandbox. Sandbox-only secrets:
 * printing them is harmless. {@code accessToken} is the token current at the time of the call
 * (it changes when a client refreshes).
 */
public record SandboxCredentials(String customer, String provider, String baseUrl, String accessToken, String apiToken,
                                 String refreshToken, String clientId, String clientSecret, String tokenUrl) {}
