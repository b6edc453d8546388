namespace MapServer.Api.Importing;

/// <summary>What a text cell holds, and so what a column of them is: a column is a number, boolean or date column only if every non-empty cell is.</summary>
public enum CellKind
{
    Empty,
    Number,
    Boolean,
    Date,
    Text,
}
