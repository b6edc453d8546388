namespace MapServer.Api.Maps.Operations;

public enum LayerVisibility
{
    Show,
    Hide,
    Toggle,
}
