using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MapServer.Renderer.Rendering;

/// <summary>Healthy while Chromium runs (or can be started); unhealthy with the reason when it cannot.</summary>
public sealed class ChromiumHealthCheck(ChromiumPool pool) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!pool.IsRunning)
        {
            await pool.WarmUpAsync(cancellationToken);
        }

        return pool.IsRunning ? HealthCheckResult.Healthy("Chromium is running") : HealthCheckResult.Unhealthy(pool.Problem);
    }
}
