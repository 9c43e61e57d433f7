#include <deal.II/base/mpi.h>
#include <deal.II/base/numbers.h>

#include <deal.II/fe/fe_values.h>

#include <mollifem/base/format.h>
#include <mollifem/coefficient/neural_coefficient.h>
#include <mollifem/mesh/mesh.h>

#include <mollifem/base/exceptions.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>

namespace mollifem
{
  namespace
  {
    /// Points per chunk of the batched passes: the activations of a chunk
    /// stay in cache-sized matrices whatever the number of cells.
    constexpr unsigned int chunk_size = 2048;
  } // namespace



  template <int dim>
  NeuralCoefficient<dim>::NeuralCoefficient(
    const Triangulation<dim> &triangulation,
    const NeuralParameters &  parameters,
    const bool                log_transform)
    : triangulation(&triangulation)
    , architecture(parameters)
    , log_transform(log_transform)
  {
    AssertThrow(architecture.activation == "tanh" ||
                  architecture.activation == "sine",
                ExcMessage("Unknown activation '" + architecture.activation +
                           "': tanh or sine."));
    AssertThrow(!architecture.hidden_layers.empty(),
                ExcMessage("A neural field needs at least one hidden layer."));
    for (const unsigned int width : architecture.hidden_layers)
      AssertThrow(width > 0, ExcMessage("A hidden layer has width >= 1."));
    AssertThrow(!log_transform || architecture.initial_value > 0.,
                ExcMessage("With the log transform the initial value of a "
                           "neural field must be > 0."));

    widths.push_back(n_inputs());
    for (const unsigned int width : architecture.hidden_layers)
      widths.push_back(width);
    widths.push_back(1);
    unsigned int n = 0;
    for (unsigned int l = 1; l < widths.size(); ++l)
      {
        weight_offsets.push_back(n);
        n += widths[l] * widths[l - 1];
        bias_offsets.push_back(n);
        n += widths[l];
      }
    theta.resize(n);
    direction_theta.assign(n, 0.);

    // The coordinates scaled to [-1, 1] over the bounding box of the mesh.
    const MPI_Comm communicator   = triangulation.get_communicator();
    const auto [lower, upper]     = bounding_box(triangulation);
    for (unsigned int d = 0; d < dim; ++d)
      {
        center[d] = 0.5 * (lower[d] + upper[d]);
        scale[d]  = 2. / std::max(upper[d] - lower[d], 1e-300);
      }

    // Rank 0 owns every weight.
    const IndexSet owned =
      Utilities::MPI::this_mpi_process(communicator) == 0 ?
        complete_index_set(n) :
        IndexSet(n);
    owned_parameters.reinit(owned, communicator);
    initialize();

    mesh_change_connection =
      triangulation.signals.any_change.connect([this]() { batches.clear(); });
  }



  template <int dim>
  NeuralCoefficient<dim>::~NeuralCoefficient()
  {
    mesh_change_connection.disconnect();
  }



  template <int dim>
  unsigned int
  NeuralCoefficient<dim>::n_inputs() const
  {
    return dim + 2 * architecture.fourier_features;
  }



  template <int dim>
  unsigned int
  NeuralCoefficient<dim>::n_parameters() const
  {
    return theta.size();
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::initialize()
  {
    // The same numbers on every rank: one generator, seeded alike.
    std::mt19937                     generator(architecture.seed);
    std::normal_distribution<double> normal(0., architecture.fourier_scale);
    frequencies.resize(architecture.fourier_features);
    for (auto &frequency : frequencies)
      for (unsigned int d = 0; d < dim; ++d)
        frequency[d] = normal(generator);

    // Glorot-uniform weights, zero biases; the output layer starts small
    // and its bias at the initial value, so that q starts nearly constant.
    const unsigned int n_layers = widths.size() - 1;
    for (unsigned int l = 0; l < n_layers; ++l)
      {
        const double limit =
          std::sqrt(6. / (widths[l] + widths[l + 1])) *
          (l + 1 == n_layers ? 0.1 : 1.);
        std::uniform_real_distribution<double> uniform(-limit, limit);
        for (unsigned int i = 0; i < widths[l + 1] * widths[l]; ++i)
          theta[weight_offsets[l] + i] = uniform(generator);
        for (unsigned int i = 0; i < widths[l + 1]; ++i)
          theta[bias_offsets[l] + i] = 0.;
      }
    theta[bias_offsets.back()] = log_transform ?
                                   std::log(architecture.initial_value) :
                                   architecture.initial_value;

    store_owned_parameters();
    invalidate_batches();
  }



  template <int dim>
  std::string
  NeuralCoefficient<dim>::architecture_line() const
  {
    std::ostringstream line;
    line << architecture.activation << ' ';
    for (unsigned int l = 0; l < widths.size(); ++l)
      line << (l > 0 ? "-" : "") << widths[l];
    line << ", " << architecture.fourier_features << " Fourier features";
    // The frequencies come from the seed: weights fit them only.
    if (architecture.fourier_features > 0)
      line << " (scale " << architecture.fourier_scale << ", seed "
           << architecture.seed << ")";
    line << ", " << theta.size() << " weights";
    return line.str();
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::write_weights(std::ostream &out) const
  {
    out << "# mollifem neural field: " << architecture_line() << '\n'
        << std::setprecision(17);
    for (const double w : theta)
      out << w << '\n';
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::read_weights(const std::string &filename)
  {
    std::ifstream in(filename);
    AssertThrow(in, ExcFile(filename, 0, "cannot be opened for reading."));
    std::string header;
    std::getline(in, header);
    const std::string prefix = "# mollifem neural field: ";
    AssertThrow(header.compare(0, prefix.size(), prefix) == 0,
                ExcFile(filename, 1,
                        "not a file of neural weights (it starts with '" +
                          prefix + "')."));
    const std::string found = header.substr(prefix.size());
    AssertThrow(found == architecture_line(),
                ExcFile(filename,
                        1,
                        "the weights are for '" + found +
                          "', but the network is '" + architecture_line() +
                          "' (subsection Coefficient/Neural network)."));
    std::vector<double> values;
    std::string         line;
    unsigned int        line_number = 1;
    while (std::getline(in, line))
      {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
          continue;
        std::size_t used = 0;
        double      value = 0.;
        try
          {
            value = std::stod(line, &used);
          }
        catch (const std::exception &)
          {
            used = 0;
          }
        AssertThrow(used > 0 && line.find_first_not_of(" \t\r", used) ==
                                  std::string::npos,
                    ExcFile(filename, line_number,
                            "'" + line + "' is not a number."));
        values.push_back(value);
      }
    AssertThrow(values.size() == theta.size(),
                ExcFile(filename, 0,
                        "has " + std::to_string(values.size()) +
                          " weights; the network has " +
                          std::to_string(theta.size()) + "."));
    theta = values;
    store_owned_parameters();
    invalidate_batches();
  }



  template <int dim>
  LA::Vector
  NeuralCoefficient<dim>::make_parameter_vector() const
  {
    LA::Vector v(owned_parameters.locally_owned_elements(),
                 owned_parameters.get_mpi_communicator());
    return v;
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::set_parameters(const LA::Vector &parameters)
  {
    theta = replicated(parameters);
    store_owned_parameters();
    invalidate_batches();
  }



  template <int dim>
  const LA::Vector &
  NeuralCoefficient<dim>::parameters() const
  {
    return owned_parameters;
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::set_direction(const LA::Vector &direction)
  {
    direction_theta = replicated(direction);
    for (auto &b : batches)
      b->direction_outputs_valid = false;
  }



  template <int dim>
  std::vector<double>
  NeuralCoefficient<dim>::replicated(const LA::Vector &vector) const
  {
    const MPI_Comm      communicator = triangulation->get_communicator();
    std::vector<double> values(theta.size());
    if (Utilities::MPI::this_mpi_process(communicator) == 0)
      for (unsigned int i = 0; i < values.size(); ++i)
        values[i] = vector[i];
    return Utilities::MPI::broadcast(communicator, values, 0);
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::store_owned_parameters()
  {
    for (const auto i : owned_parameters.locally_owned_elements())
      owned_parameters[i] = theta[i];
    owned_parameters.compress(VectorOperation::insert);
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::invalidate_batches()
  {
    for (auto &b : batches)
      {
        b->outputs_valid           = false;
        b->direction_outputs_valid = false;
      }
  }



  template <int dim>
  typename NeuralCoefficient<dim>::Batch &
  NeuralCoefficient<dim>::batch(const FEValues<dim> &fe_values,
                                unsigned int &       offset) const
  {
    const Quadrature<dim> &quadrature = fe_values.get_quadrature();
    const Mapping<dim> &   mapping    = fe_values.get_mapping();
    auto found = std::find_if(batches.begin(), batches.end(), [&](const auto &b) {
      return b->mapping == &mapping && b->quadrature == quadrature;
    });
    if (found == batches.end())
      {
        // The points of every locally owned cell, in the order of the cells.
        auto b        = std::make_unique<Batch>();
        b->quadrature = quadrature;
        b->mapping    = &mapping;
        b->offsets.assign(triangulation->n_active_cells(),
                          numbers::invalid_unsigned_int);
        FEValues<dim> points(mapping,
                             fe_values.get_fe(),
                             quadrature,
                             update_quadrature_points);
        unsigned int n_points = 0;
        for (const auto &cell : triangulation->active_cell_iterators())
          if (cell->is_locally_owned())
            {
              points.reinit(cell);
              b->offsets[cell->active_cell_index()] = n_points;
              for (const auto &x : points.get_quadrature_points())
                for (unsigned int d = 0; d < dim; ++d)
                  b->inputs.push_back((x[d] - center[d]) * scale[d]);
              n_points += quadrature.size();
            }
        b->outputs.resize(n_points);
        b->direction_outputs.resize(n_points);
        b->sensitivities.assign(n_points, 0.);
        batches.push_back(std::move(b));
        found = std::prev(batches.end());
      }
    Batch &b = **found;
    const auto &cell = fe_values.get_cell();
    AssertThrow(&cell->get_triangulation() == &*triangulation &&
                  b.offsets[cell->active_cell_index()] !=
                    numbers::invalid_unsigned_int,
                ExcMessage("A neural field is evaluated on the locally owned "
                           "cells of its own triangulation only."));
    offset = b.offsets[cell->active_cell_index()];
    const unsigned int n_points = b.outputs.size();
    if (!b.outputs_valid)
      {
        for (unsigned int begin = 0; begin < n_points; begin += chunk_size)
          forward(b, begin, std::min(begin + chunk_size, n_points), nullptr,
                  &b.outputs, nullptr);
        b.outputs_valid = true;
      }
    return b;
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::forward(const Batch &        b,
                                  const unsigned int   begin,
                                  const unsigned int   end,
                                  const double *       direction,
                                  std::vector<double> *outputs,
                                  std::vector<double> *direction_outputs) const
  {
    const unsigned int n        = end - begin;
    const unsigned int n_layers = widths.size() - 1;
    const bool         sine     = (architecture.activation == "sine");
    z.resize(n_layers + 1);
    h.resize(n_layers + 1);
    dz.resize(n_layers + 1);
    dh.resize(n_layers + 1);

    // Features: the coordinates and their Fourier features.
    h[0].reinit(n, widths[0]);
    for (unsigned int p = 0; p < n; ++p)
      {
        const double *x = &b.inputs[(begin + p) * dim];
        for (unsigned int d = 0; d < dim; ++d)
          h[0](p, d) = x[d];
        for (unsigned int f = 0; f < frequencies.size(); ++f)
          {
            double s = 0.;
            for (unsigned int d = 0; d < dim; ++d)
              s += frequencies[f][d] * x[d];
            s *= 2. * numbers::PI;
            h[0](p, dim + f)                      = std::sin(s);
            h[0](p, dim + frequencies.size() + f) = std::cos(s);
          }
      }
    if (direction != nullptr)
      {
        dh[0].reinit(n, widths[0]);
        dh[0] = 0.;
      }

    LAPACKFullMatrix<double> W, dW;
    for (unsigned int l = 1; l <= n_layers; ++l)
      {
        const unsigned int rows = widths[l], columns = widths[l - 1];
        W.reinit(rows, columns);
        for (unsigned int i = 0; i < rows; ++i)
          for (unsigned int j = 0; j < columns; ++j)
            W(i, j) = theta[weight_offsets[l - 1] + i * columns + j];
        // z_l = h_{l-1} W^T + b (BLAS gemm).
        z[l].reinit(n, rows);
        h[l - 1].mTmult(z[l], W);
        const double *bias = &theta[bias_offsets[l - 1]];
        for (unsigned int p = 0; p < n; ++p)
          for (unsigned int i = 0; i < rows; ++i)
            z[l](p, i) += bias[i];
        if (direction != nullptr)
          {
            // dz_l = dh_{l-1} W^T + h_{l-1} dW^T + db.
            dW.reinit(rows, columns);
            for (unsigned int i = 0; i < rows; ++i)
              for (unsigned int j = 0; j < columns; ++j)
                dW(i, j) = direction[weight_offsets[l - 1] + i * columns + j];
            dz[l].reinit(n, rows);
            dh[l - 1].mTmult(dz[l], W);
            h[l - 1].mTmult(dz[l], dW, true);
            const double *d_bias = &direction[bias_offsets[l - 1]];
            for (unsigned int p = 0; p < n; ++p)
              for (unsigned int i = 0; i < rows; ++i)
                dz[l](p, i) += d_bias[i];
          }
        if (l == n_layers)
          break;
        h[l].reinit(n, rows);
        if (direction != nullptr)
          dh[l].reinit(n, rows);
        for (unsigned int p = 0; p < n; ++p)
          for (unsigned int i = 0; i < rows; ++i)
            {
              const double zz = z[l](p, i);
              const double a  = sine ? std::sin(zz) : std::tanh(zz);
              h[l](p, i)      = a;
              if (direction != nullptr)
                dh[l](p, i) =
                  (sine ? std::cos(zz) : 1. - a * a) * dz[l](p, i);
            }
      }
    for (unsigned int p = 0; p < n; ++p)
      {
        if (outputs != nullptr)
          (*outputs)[begin + p] = z[n_layers](p, 0);
        if (direction_outputs != nullptr)
          (*direction_outputs)[begin + p] = dz[n_layers](p, 0);
      }
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::backward(const Batch &        b,
                                   const unsigned int   begin,
                                   const unsigned int   end,
                                   std::vector<double> &gradient) const
  {
    const unsigned int n        = end - begin;
    const unsigned int n_layers = widths.size() - 1;
    const bool         sine     = (architecture.activation == "sine");
    // delta = dJ/dz of the current layer, starting with the sensitivities.
    LAPACKFullMatrix<double> delta(n, 1), previous, W, dW;
    for (unsigned int p = 0; p < n; ++p)
      delta(p, 0) = b.sensitivities[begin + p];
    for (unsigned int l = n_layers; l >= 1; --l)
      {
        const unsigned int rows = widths[l], columns = widths[l - 1];
        // dJ/dW_l = delta^T h_{l-1}, dJ/db_l = column sums of delta.
        dW.reinit(rows, columns);
        delta.Tmmult(dW, h[l - 1]);
        for (unsigned int i = 0; i < rows; ++i)
          {
            for (unsigned int j = 0; j < columns; ++j)
              gradient[weight_offsets[l - 1] + i * columns + j] += dW(i, j);
            double sum = 0.;
            for (unsigned int p = 0; p < n; ++p)
              sum += delta(p, i);
            gradient[bias_offsets[l - 1] + i] += sum;
          }
        if (l == 1)
          break;
        // dJ/dz_{l-1} = (delta W_l) * sigma'(z_{l-1}).
        W.reinit(rows, columns);
        for (unsigned int i = 0; i < rows; ++i)
          for (unsigned int j = 0; j < columns; ++j)
            W(i, j) = theta[weight_offsets[l - 1] + i * columns + j];
        previous.reinit(n, columns);
        delta.mmult(previous, W);
        for (unsigned int p = 0; p < n; ++p)
          for (unsigned int j = 0; j < columns; ++j)
            {
              const double zz = z[l - 1](p, j);
              const double a  = h[l - 1](p, j);
              previous(p, j) *= sine ? std::cos(zz) : 1. - a * a;
            }
        delta = previous;
      }
  }



  template <int dim>
  double
  NeuralCoefficient<dim>::transform(const double y) const
  {
    return log_transform ? std::exp(y) : y;
  }



  template <int dim>
  double
  NeuralCoefficient<dim>::transform_derivative(const double y) const
  {
    return log_transform ? std::exp(y) : 1.;
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::values(const FEValues<dim> &fe_values,
                                 std::vector<double> &values) const
  {
    unsigned int offset;
    const Batch &b = batch(fe_values, offset);
    values.resize(fe_values.n_quadrature_points);
    for (unsigned int q = 0; q < values.size(); ++q)
      values[q] = transform(b.outputs[offset + q]);
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::direction_values(const FEValues<dim> &fe_values,
                                           std::vector<double> &values) const
  {
    unsigned int offset;
    Batch &      b = batch(fe_values, offset);
    if (!b.direction_outputs_valid)
      {
        const unsigned int n_points = b.outputs.size();
        for (unsigned int begin = 0; begin < n_points; begin += chunk_size)
          forward(b, begin, std::min(begin + chunk_size, n_points),
                  direction_theta.data(), nullptr, &b.direction_outputs);
        b.direction_outputs_valid = true;
      }
    values.resize(fe_values.n_quadrature_points);
    for (unsigned int q = 0; q < values.size(); ++q)
      values[q] = transform_derivative(b.outputs[offset + q]) *
                  b.direction_outputs[offset + q];
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::add_gradient(const FEValues<dim> &      fe_values,
                                       const std::vector<double> &weights,
                                       LA::Vector &) const
  {
    unsigned int offset;
    Batch &      b = batch(fe_values, offset);
    for (unsigned int q = 0; q < fe_values.n_quadrature_points; ++q)
      b.sensitivities[offset + q] +=
        weights[q] * transform_derivative(b.outputs[offset + q]);
    b.has_sensitivities = true;
  }



  template <int dim>
  void
  NeuralCoefficient<dim>::finish_gradient(LA::Vector &gradient) const
  {
    std::vector<double> local(theta.size(), 0.);
    for (auto &b : batches)
      {
        if (!b->has_sensitivities)
          continue;
        const unsigned int n_points = b->outputs.size();
        for (unsigned int begin = 0; begin < n_points; begin += chunk_size)
          {
            const unsigned int end = std::min(begin + chunk_size, n_points);
            forward(*b, begin, end, nullptr, nullptr, nullptr);
            backward(*b, begin, end, local);
          }
        std::fill(b->sensitivities.begin(), b->sensitivities.end(), 0.);
        b->has_sensitivities = false;
      }
    const MPI_Comm communicator = triangulation->get_communicator();
    Utilities::MPI::sum(local, communicator, local);
    if (Utilities::MPI::this_mpi_process(communicator) == 0)
      for (unsigned int i = 0; i < local.size(); ++i)
        gradient[i] += local[i];
    gradient.compress(VectorOperation::add);
  }



  template <int dim>
  bool
  NeuralCoefficient<dim>::uses_log_transform() const
  {
    return log_transform;
  }



  template <int dim>
  std::string
  NeuralCoefficient<dim>::description() const
  {
    std::string layers;
    for (unsigned int l = 1; l + 1 < widths.size(); ++l)
      layers += (l > 1 ? "x" : "") + std::to_string(widths[l]);
    return std::string(log_transform ? "exp of a " : "") + "neural field (" +
           architecture.activation + ", hidden " + layers +
           (architecture.fourier_features > 0 ?
              ", " + std::to_string(architecture.fourier_features) +
                " Fourier features" :
              std::string()) +
           ", " + std::to_string(theta.size()) + " weights)";
  }



  template class NeuralCoefficient<1>;
  template class NeuralCoefficient<2>;
  template class NeuralCoefficient<3>;
} // namespace mollifem
