using Garnet;

// Runs Microsoft Garnet with the arguments the AppHost passes (bind address, port, Lua in
// transaction mode so scripts are atomic). Stops when the AppHost stops the process.
using var server = new GarnetServer(args);
server.Start();
Console.WriteLine($"Garnet is listening ({string.Join(' ', args)})");

using var stopped = new ManualResetEventSlim();
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.Set();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.Set();
};
stopped.Wait();
