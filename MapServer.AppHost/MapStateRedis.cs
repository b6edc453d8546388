namespace MapServer.AppHost;

/// <summary>The Redis the api uses: where it connects, and the resource to wait for.</summary>
public sealed record MapStateRedis(IResourceBuilder<IResourceWithConnectionString> Connection, IResourceBuilder<IResource> Server);
