namespace MapServer.Api.Maps.Operations;

public enum HistoryStep
{
    Undo,
    Redo,
}
