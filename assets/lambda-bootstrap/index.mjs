// Answers the health check until the first release replaces this image with the app's.
export const handler = async (event) => ({
  statusCode: event && event.rawPath === process.env.HEALTH_PATH ? 200 : 404,
  body: '{"status":"bootstrap"}',
});
