namespace MapServer.Api.Maps.Operations;

public enum LayerPosition
{
    Top,
    Bottom,
    Above,
    Below,
}
